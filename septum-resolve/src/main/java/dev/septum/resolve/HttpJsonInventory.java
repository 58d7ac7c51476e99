package dev.septum.resolve;

import dev.septum.model.GroupSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * An inventory's JSON answer turned into members: the items under {@code items}, those passing
 * every {@code filter}, each item's {@code address} and its mapped {@code categories}. Reads one
 * page; an inventory that pages (NetBox's {@code next}) is asked with a {@code limit} large enough.
 */
final class HttpJsonInventory {
    private final HttpFetch http;
    private final Function<String, java.util.Optional<String>> env;

    HttpJsonInventory(HttpFetch http, Function<String, java.util.Optional<String>> env) {
        this.http = http;
        this.env = env;
    }

    Answer fetch(GroupSource.HttpJson source) throws SourceFailure {
        Map<String, String> headers = new LinkedHashMap<>();
        if (source.authEnv().isPresent()) {
            String name = source.authEnv().get();
            headers.put(source.authHeader().orElse("Authorization"), env.apply(name)
                    .orElseThrow(() -> new SourceFailure("environment variable " + name + " (auth-env) is not set")));
        }
        JsonNode body = http.get(source.url(), headers, source.caFile());
        return Answer.of(members(body, source));
    }

    static java.util.List<dev.septum.compile.pipeline.ResolutionSnapshot.Member> members(JsonNode body,
            GroupSource.HttpJson source) throws SourceFailure {
        JsonNode items = source.items().isEmpty() ? body : body.at(source.items());
        if (!items.isArray()) {
            throw new SourceFailure("the answer has no list at " + (source.items().isEmpty() ? "its top" : source.items())
                    + "; set 'items:' to the JSON Pointer of the list, e.g. /results");
        }
        if (body.path("next").isString()) {
            throw new SourceFailure("the answer is one page of several (it has a 'next' link); ask for all items at "
                    + "once, e.g. add ?limit=0 (NetBox) or a larger page size to the url");
        }
        Members members = new Members(source.asHosts());
        int index = 0;
        for (JsonNode item : items) {
            String where = "item " + index++;
            if (!passes(item, source.filter())) {
                continue;
            }
            Map<String, String> categories = new LinkedHashMap<>();
            for (Map.Entry<String, String> c : source.categories().entrySet()) {
                JsonNode value = item.at(c.getValue());
                if (value.isValueNode() && !value.isNull() && !value.asString().isEmpty()) {
                    categories.put(c.getKey(), value.asString());
                }
            }
            members.add(JsonItems.text(item, source.address(), where + " field " + source.address()),
                    categories, where + " field " + source.address());
        }
        return members.list();
    }

    private static boolean passes(JsonNode item, Map<String, String> filter) {
        return filter.entrySet().stream().allMatch(f -> {
            JsonNode value = item.at(f.getKey());
            return value.isValueNode() && value.asString().equals(f.getValue());
        });
    }
}
