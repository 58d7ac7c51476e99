package dev.septum.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.model.Action;
import dev.septum.model.DecapType;
import dev.septum.model.IcmpTypes;
import dev.septum.model.Direction;
import dev.septum.model.Platform;
import dev.septum.model.PortNames;
import dev.septum.model.Protocol;
import dev.septum.model.Role;
import dev.septum.model.load.ModelKeys;
import dev.septum.model.validate.NameRules;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The schema describes exactly what the loader reads, so editors never suggest or reject differently. */
class SchemaContractTest {

    static Stream<Arguments> objectKinds() {
        return Stream.of(
                Arguments.of("domain", ModelKeys.DOMAIN),
                Arguments.of("device", ModelKeys.DEVICE),
                Arguments.of("group", ModelKeys.GROUP),
                Arguments.of("service", ModelKeys.SERVICE),
                Arguments.of("serviceEntry", ModelKeys.SERVICE_ENTRY),
                Arguments.of("redirect", ModelKeys.REDIRECT),
                Arguments.of("monitor", ModelKeys.MONITOR),
                Arguments.of("policy", ModelKeys.POLICY),
                Arguments.of("rule", ModelKeys.RULE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectKinds")
    void objectPropertiesAreExactlyTheLoaderKeys(String def, Set<String> keys) {
        JsonNode object = PolicySchema.def(def);

        assertThat(object.path("properties").propertyNames()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(object.path("additionalProperties").isBoolean()).isTrue();
        assertThat(object.path("additionalProperties").booleanValue()).as("unknown keys are errors").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectKinds")
    void everyPropertyTeachesTheUserWithADescription(String def, Set<String> keys) {
        PolicySchema.def(def).path("properties").properties().forEach(p -> {
            JsonNode property = p.getValue();
            assertThat(property.path("description").asString(""))
                    .as("%s.%s has a description (an editor hover)", def, p.getKey()).isNotBlank();
        });
    }

    @Test
    void topLevelSectionsAreExactlyTheLoaderSectionsAndListTheirObjects() {
        JsonNode sections = PolicySchema.tree().path("properties");

        assertThat(sections.propertyNames()).containsExactlyInAnyOrderElementsOf(ModelKeys.TOP);
        assertThat(PolicySchema.tree().path("additionalProperties").booleanValue()).isFalse();
        Map<String, String> itemDefs = Map.of("domains", "domain", "devices", "device", "groups", "group",
                "services", "service", "redirects", "redirect", "monitors", "monitor", "policies", "policy");
        itemDefs.forEach((section, def) -> assertThat(sections.path(section).at("/items/$ref").asString())
                .as(section).isEqualTo("#/$defs/" + def));
        assertThat(PolicySchema.def("policy").at("/properties/rules/items/$ref").asString()).isEqualTo("#/$defs/rule");
        assertThat(PolicySchema.def("service").at("/properties/entries/items/$ref").asString())
                .isEqualTo("#/$defs/serviceEntry");
    }

    @Test
    void keywordEnumsAreTheModelKeywords() {
        assertThat(enumAt("device", "/properties/platform/enum"))
                .containsExactlyInAnyOrderElementsOf(keywords(Platform.values(), Platform::keyword));
        assertThat(enumAt("device", "/properties/role/enum"))
                .containsExactlyInAnyOrderElementsOf(keywords(Role.values(), Role::keyword));
        assertThat(enumAt("rule", "/properties/direction/enum"))
                .containsExactlyInAnyOrderElementsOf(keywords(Direction.values(), Direction::keyword));
        assertThat(enumAt("rule", "/properties/decap/enum"))
                .containsExactlyInAnyOrderElementsOf(keywords(DecapType.values(), DecapType::keyword));
        assertThat(enumAt("rule", "/properties/action/enum")).containsExactlyInAnyOrder(
                new Action.Forward().keyword(), new Action.Drop().keyword(), "redirect");
    }

    @Test
    void portNamesAndProtocolNamesAreTheOnesTheLoaderKnows() {
        assertThat(enumAt("portItem", "/anyOf/3/enum")).containsExactlyInAnyOrderElementsOf(PortNames.names());
        assertThat(enumAt("protocol", "/anyOf/0/enum")).containsExactlyInAnyOrderElementsOf(Protocol.names());
    }

    @Test
    void icmpTypeAndCodeNamesAreTheOnesTheLoaderKnowsPerProtocol() {
        Set<String> types = new java.util.TreeSet<>(IcmpTypes.typeNames(Protocol.ICMP));
        types.addAll(IcmpTypes.typeNames(Protocol.ICMPV6));
        Set<String> codes = new java.util.TreeSet<>(IcmpTypes.codeNames(Protocol.ICMP));
        codes.addAll(IcmpTypes.codeNames(Protocol.ICMPV6));

        assertThat(enumAt("icmpType", "/anyOf/0/enum")).containsExactlyInAnyOrderElementsOf(types);
        assertThat(enumAt("icmpCode", "/anyOf/0/enum")).containsExactlyInAnyOrderElementsOf(codes);
        assertThat(enumAt("icmpOnlyForIcmp", "/allOf/1/then/properties/icmp-type/anyOf/0/enum"))
                .containsExactlyInAnyOrderElementsOf(IcmpTypes.typeNames(Protocol.ICMP));
        assertThat(enumAt("icmpOnlyForIcmp", "/allOf/1/then/properties/icmp-code/anyOf/0/enum"))
                .containsExactlyInAnyOrderElementsOf(IcmpTypes.codeNames(Protocol.ICMP));
        assertThat(enumAt("icmpOnlyForIcmp", "/allOf/2/then/properties/icmp-type/anyOf/0/enum"))
                .containsExactlyInAnyOrderElementsOf(IcmpTypes.typeNames(Protocol.ICMPV6));
        assertThat(enumAt("icmpOnlyForIcmp", "/allOf/2/then/properties/icmp-code/anyOf/0/enum"))
                .containsExactlyInAnyOrderElementsOf(IcmpTypes.codeNames(Protocol.ICMPV6));
    }

    @Test
    void everySourceKindHasADefinitionWithExactlyTheLoaderKeys() {
        java.util.Map<String, String> defs = java.util.Map.of("dns", "sourceDns", "dhcp", "sourceDhcp",
                "http-json", "sourceHttpJson", "file", "sourceFile", "push", "sourcePush");
        assertThat(defs.keySet()).containsExactlyInAnyOrderElementsOf(dev.septum.model.load.SourceKeys.BY_KIND.keySet());
        defs.forEach((kind, def) -> {
            JsonNode object = PolicySchema.def(def);
            assertThat(object.path("properties").propertyNames()).as(kind)
                    .containsExactlyInAnyOrderElementsOf(dev.septum.model.load.SourceKeys.BY_KIND.get(kind));
            assertThat(object.at("/properties/kind/const").asString()).isEqualTo(kind);
            assertThat(object.path("additionalProperties").booleanValue()).isFalse();
            object.path("properties").properties().forEach(p -> assertThat(p.getValue().path("description").asString(""))
                    .as("%s.%s has a description", def, p.getKey()).isNotBlank());
        });
        assertThat(PolicySchema.def("groupSource").path("oneOf")).hasSize(defs.size());
    }

    @Test
    void lengthLimitsAreTheValidatorLimits() {
        assertThat(PolicySchema.def("name").path("maxLength").intValue()).isEqualTo(NameRules.MAX_NAME);
        assertThat(PolicySchema.def("description").path("maxLength").intValue()).isEqualTo(NameRules.MAX_DESCRIPTION);
    }

    private static List<String> enumAt(String def, String pointer) {
        JsonNode values = PolicySchema.def(def).at(pointer);
        assertThat(values.isArray()).as("$defs/%s%s is an enum", def, pointer).isTrue();
        return values.values().stream().map(JsonNode::asString).toList();
    }

    private static <T> List<String> keywords(T[] values, java.util.function.Function<T, String> keyword) {
        return Arrays.stream(values).map(keyword).toList();
    }
}
