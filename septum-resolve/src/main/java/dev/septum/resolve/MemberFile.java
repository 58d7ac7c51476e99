package dev.septum.resolve;

import dev.septum.model.GroupSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A member file inside the policy directory. JSON and YAML: a list whose items are addresses or
 * {@code {address: ..., categories: {key: value}}}. CSV: a header row with an {@code address}
 * column; every other column is a category (an empty cell sets none).
 */
final class MemberFile {
    static final int MAX_FILE = 8 * 1024 * 1024;

    private final Path baseDir;

    MemberFile(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Where the source's file is; empty when its path leaves the policy directory. */
    Optional<Path> path(GroupSource.File source) {
        Path file = baseDir.resolve(source.path()).normalize();
        return file.startsWith(baseDir.normalize()) ? Optional.of(file) : Optional.empty();
    }

    Answer read(GroupSource.File source) throws SourceFailure {
        Path file = path(source).orElseThrow(() -> new SourceFailure(source.path() + " is outside the policy directory"));
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            throw new SourceFailure(source.path() + " does not exist in " + baseDir);
        } catch (IOException e) {
            throw new SourceFailure(source.path() + " cannot be read: " + e.getMessage());
        }
        if (bytes.length > MAX_FILE) {
            throw new SourceFailure(source.path() + " is larger than " + MAX_FILE / (1024 * 1024) + " MiB");
        }
        try {
            return Answer.of(switch (source.format()) {
                case JSON -> list(JsonMapper.builder().build(), bytes, source.path());
                case YAML -> list(YAMLMapper.builder().build(), bytes, source.path());
                case CSV -> csv(bytes, source.path());
            });
        } catch (JacksonException e) {
            throw new SourceFailure(source.path() + " is not valid " + source.format().keyword() + ": "
                    + ParseProblem.at(e));
        }
    }

    /** A JSON list of members; {@code label} names it in a failure. */
    static List<dev.septum.compile.pipeline.ResolutionSnapshot.Member> json(byte[] bytes, String label) throws SourceFailure {
        try {
            return list(JsonMapper.builder().build(), bytes, label);
        } catch (JacksonException e) {
            throw new SourceFailure(label + " is not valid json: " + ParseProblem.at(e));
        }
    }

    private static List<dev.septum.compile.pipeline.ResolutionSnapshot.Member> list(ObjectMapper mapper, byte[] bytes,
                                                                                    String path) throws SourceFailure {
        JsonNode root = mapper.readTree(bytes);
        if (root == null || !root.isArray()) {
            throw new SourceFailure(path + " is not a list of members; write one address per item, or items with "
                    + "'address' and 'categories'");
        }
        Members members = new Members(false);
        int index = 0;
        for (JsonNode item : root) {
            String where = path + " item " + index++;
            if (item.isValueNode()) {
                members.add(item.asString(), Map.of(), where);
                continue;
            }
            Map<String, String> categories = new LinkedHashMap<>();
            for (var c : item.path("categories").properties()) {
                if (!c.getValue().isValueNode()) {
                    throw new SourceFailure(where + ": category " + c.getKey() + " is not a single value");
                }
                categories.put(c.getKey(), c.getValue().asString());
            }
            members.add(JsonItems.text(item, "/address", where), categories, where + " field address");
        }
        return members.list();
    }

    private static List<dev.septum.compile.pipeline.ResolutionSnapshot.Member> csv(byte[] bytes, String path)
            throws SourceFailure {
        CsvMapper mapper = CsvMapper.builder().build();
        Members members = new Members(false);
        try (var rows = mapper.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader())
                .<Map<String, String>>readValues(bytes)) {
            int line = 2;
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                String where = path + " line " + line++;
                String address = row.get("address");
                if (address == null) {
                    throw new SourceFailure(path + " has no 'address' column; start the file with a header row "
                            + "such as address,role");
                }
                Map<String, String> categories = new LinkedHashMap<>();
                row.forEach((k, v) -> {
                    if (!k.equals("address") && v != null && !v.isBlank()) {
                        categories.put(k, v.strip());
                    }
                });
                members.add(address.strip(), categories, where);
            }
        }
        return members.list();
    }
}
