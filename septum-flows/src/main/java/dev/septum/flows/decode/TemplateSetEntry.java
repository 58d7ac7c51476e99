package dev.septum.flows.decode;

/**
 * What one record of a Template Set or Options Template Set says. Withdrawals (RFC 7011 §8.1) must not
 * be sent over UDP, but a collector still honours them rather than decoding with a stale layout.
 */
sealed interface TemplateSetEntry {
    record Definition(Template template) implements TemplateSetEntry {
    }

    record Withdrawal(int templateId, boolean options) implements TemplateSetEntry {
    }

    /** Template id 2 (data) or 3 (options) with field count 0: every template of that kind goes. */
    record WithdrawAll(boolean options) implements TemplateSetEntry {
    }
}
