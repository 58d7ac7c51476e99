package dev.septum.builder.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.septum.compile.pipeline.GroupResolver;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BuiltPoliciesTest {
    @Test
    void anUnchangedPolicyIsBuiltOnceAndAnEditedOneAgain() throws IOException {
        Map<String, String> files = SeedDnsNtpTest.monitorStage();
        BuiltPolicies.Built first = BuiltPolicies.of("seed", files, GroupResolver.STATIC, Optional.empty());
        assertThat(first.build().ok()).isTrue();
        assertThat(first.tagger()).isPresent();
        assertThat(BuiltPolicies.of("seed", new TreeMap<>(files), GroupResolver.STATIC, Optional.empty())).isSameAs(first);

        Map<String, String> edited = new TreeMap<>(files);
        edited.put("policies.yaml", files.get("policies.yaml") + "\n# edited\n");
        assertThat(BuiltPolicies.of("seed", edited, GroupResolver.STATIC, Optional.empty())).isNotSameAs(first);
        assertThat(BuiltPolicies.of("seed", files, GroupResolver.STATIC, Optional.of("no-such-device")).tagger()).isEmpty();
    }

    @Test
    void aPolicyWithAnotherResolverIsBuiltEveryTime() throws IOException {
        Map<String, String> files = SeedDnsNtpTest.monitorStage();
        GroupResolver resolver = model -> GroupResolver.STATIC.resolve(model);
        assertThat(BuiltPolicies.of("seed", files, resolver, Optional.empty()))
                .isNotSameAs(BuiltPolicies.of("seed", files, resolver, Optional.empty()));
    }
}
