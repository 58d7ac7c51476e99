package dev.septum.model.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The editor schema in the repository's {@code schema/} folder, as a JSON tree and as a validator. */
final class PolicySchema {
    /** Surefire runs in the module directory and sets {@code basedir}; the schema sits one level up. */
    static final Path FILE = Path.of(System.getProperty("basedir", "."), "..", "schema", "septum-policy.schema.json");

    private static final JsonNode TREE = readTree();
    private static final Schema SCHEMA =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(TREE);
    private static final YAMLMapper YAML = new YAMLMapper();

    private PolicySchema() {
    }

    static JsonNode tree() {
        return TREE;
    }

    /** A definition under {@code $defs}, e.g. {@code rule}. */
    static JsonNode def(String name) {
        JsonNode def = TREE.path("$defs").path(name);
        if (def.isMissingNode()) {
            throw new AssertionError("the schema has no $defs/" + name);
        }
        return def;
    }

    /** Schema errors for YAML text, as the VS Code YAML extension would see the document. */
    static List<String> validate(String yaml) {
        return SCHEMA.validate(YAML.readTree(yaml)).stream().map(Error::toString).toList();
    }

    static String sample() {
        try (InputStream in = PolicySchema.class.getResourceAsStream("/sample-policy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
