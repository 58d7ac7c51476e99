package dev.septum.flows.decode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the decoder saw. One thread writes (the receive loop), any thread reads (metrics, CLI status);
 * counters are bumped once per message or set, never per record, so the atomics cost nothing measurable.
 */
public final class DecoderCounters {
    final AtomicLong messages = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong unsupportedVersion = new AtomicLong();
    final AtomicLong dataRecords = new AtomicLong();
    final AtomicLong optionsRecords = new AtomicLong();
    final AtomicLong templates = new AtomicLong();
    final AtomicLong templateWithdrawals = new AtomicLong();
    final AtomicLong templatesExpired = new AtomicLong();
    final AtomicLong templatesRejected = new AtomicLong();
    final AtomicLong heldSets = new AtomicLong();
    final AtomicLong heldRecordsDecoded = new AtomicLong();
    final AtomicLong unknownTemplateDrops = new AtomicLong();
    final AtomicLong sequenceGapRecords = new AtomicLong();
    final AtomicLong sequenceGapEvents = new AtomicLong();
    final AtomicLong sequenceReorders = new AtomicLong();

    public long messages() { return messages.get(); }
    public long malformed() { return malformed.get(); }
    public long unsupportedVersion() { return unsupportedVersion.get(); }
    /** Data records decoded, including held records decoded late. */
    public long dataRecords() { return dataRecords.get(); }
    public long optionsRecords() { return optionsRecords.get(); }
    public long templates() { return templates.get(); }
    public long templateWithdrawals() { return templateWithdrawals.get(); }
    public long templatesExpired() { return templatesExpired.get(); }
    public long templatesRejected() { return templatesRejected.get(); }
    /** Data sets parked because their template had not arrived yet. */
    public long heldSets() { return heldSets.get(); }
    public long heldRecordsDecoded() { return heldRecordsDecoded.get(); }
    /** Held data sets given up on (too old, or the hold buffer was full). */
    public long unknownTemplateDrops() { return unknownTemplateDrops.get(); }
    /** Records (IPFIX) or packets (NetFlow v9) the sequence numbers say were lost. */
    public long sequenceGapRecords() { return sequenceGapRecords.get(); }
    public long sequenceGapEvents() { return sequenceGapEvents.get(); }
    public long sequenceReorders() { return sequenceReorders.get(); }

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("messages", messages());
        m.put("malformed", malformed());
        m.put("unsupported_version", unsupportedVersion());
        m.put("data_records", dataRecords());
        m.put("options_records", optionsRecords());
        m.put("templates", templates());
        m.put("template_withdrawals", templateWithdrawals());
        m.put("templates_expired", templatesExpired());
        m.put("templates_rejected", templatesRejected());
        m.put("held_sets", heldSets());
        m.put("held_records_decoded", heldRecordsDecoded());
        m.put("unknown_template_drops", unknownTemplateDrops());
        m.put("sequence_gap_records", sequenceGapRecords());
        m.put("sequence_gap_events", sequenceGapEvents());
        m.put("sequence_reorders", sequenceReorders());
        return m;
    }
}
