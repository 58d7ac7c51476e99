package dev.septum.model.load;

import dev.septum.model.RuleLifecycle;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** A rule's {@code expires}, {@code owner} and {@code ticket}, each refused at its own line and column when malformed. */
final class RuleLifecycleReader {
    static final int MAX_LENGTH = 120;
    /** A person, team or mail address: letters, digits and {@code . _ @ + -} and spaces, nothing that could break a config line. */
    private static final Pattern OWNER = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._@+-]*");
    /** A ticket id or URL-like reference, e.g. {@code CHG-1234} or {@code jira/NET-77}. */
    private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._#/:+-]*");

    private RuleLifecycleReader() {
    }

    static final String MODE = "mode";

    /** {@code enforced} or {@code staged}; empty when the field is absent or refused. */
    static Optional<Boolean> staged(YamlFields y) {
        return y.scalar(MODE).flatMap(s -> switch (s.text()) {
            case "enforced" -> Optional.of(false);
            case "staged" -> Optional.of(true);
            default -> {
                y.diagnostics().error(s.at(), y.object(), MODE, "'" + s.text() + "' is not one of enforced, staged",
                        "write 'mode: staged' to count what the rule would decide without enforcing it, or 'mode: enforced'");
                yield Optional.empty();
            }
        });
    }

    /**
     * A rule's lifecycle as the rule writes it, enforced until {@link WrittenRule#inPolicy} applies the
     * mode: the rule's own {@code mode} when it gives a valid one, else its policy's.
     */
    record Written(RuleLifecycle lifecycle, Optional<Boolean> mode) {
    }

    static Written read(YamlFields y) {
        Optional<LocalDate> expires = y.scalar("expires").flatMap(s -> {
            try {
                return Optional.of(LocalDate.parse(s.text()));
            } catch (DateTimeParseException e) {
                y.diagnostics().error(s.at(), y.object(), "expires", "'" + s.text() + "' is not a date",
                        "write the last day the rule is meant to be in force as YYYY-MM-DD, e.g. 2027-01-31");
                return Optional.empty();
            }
        });
        String owner = text(y, "owner", OWNER, "name a person, team or mail address, e.g. 'owner: net-team@example.com'");
        String ticket = text(y, "ticket", TICKET, "give the ticket's id, e.g. 'ticket: CHG-1234'");
        if (y.has("expires") && owner.isEmpty() && !y.has("owner")) {
            y.diagnostics().error(y.at("expires"), y.object(), "owner", "is missing: a rule that expires needs someone who answers for it",
                    "add 'owner:' naming the person or team who asked for the exception");
        }
        return new Written(new RuleLifecycle(expires, owner, ticket, false), staged(y));
    }

    private static String text(YamlFields y, String key, Pattern allowed, String fix) {
        return y.scalar(key).filter(s -> {
            String problem = s.text().isBlank() ? "is empty"
                    : s.text().length() > MAX_LENGTH ? "is longer than " + MAX_LENGTH + " characters"
                    : !allowed.matcher(s.text()).matches() ? "'" + s.text() + "' has characters not allowed in " + (key.equals("owner") ? "an " : "a ") + key : "";
            if (!problem.isEmpty()) {
                y.diagnostics().error(s.at(), y.object(), key, problem, fix);
            }
            return problem.isEmpty();
        }).map(Scalar::text).orElse("");
    }
}
