package dev.septum.flows.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Session table counters; written under the table's lock, readable from any thread. */
public final class SessionCounters {
    final AtomicLong recordsApplied = new AtomicLong();
    final AtomicLong created = new AtomicLong();
    final AtomicLong live = new AtomicLong();
    final AtomicLong endedIdle = new AtomicLong();
    final AtomicLong endedEndOfFlow = new AtomicLong();
    final AtomicLong endedForced = new AtomicLong();
    final AtomicLong evictedFull = new AtomicLong();
    final AtomicLong interimExports = new AtomicLong();

    public long recordsApplied() { return recordsApplied.get(); }
    public long created() { return created.get(); }
    public long live() { return live.get(); }
    public long endedIdle() { return endedIdle.get(); }
    public long endedEndOfFlow() { return endedEndOfFlow.get(); }
    public long endedForced() { return endedForced.get(); }
    public long evictedFull() { return evictedFull.get(); }
    public long interimExports() { return interimExports.get(); }

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records_applied", recordsApplied());
        m.put("sessions_created", created());
        m.put("sessions_live", live());
        m.put("sessions_ended_idle", endedIdle());
        m.put("sessions_ended_end_of_flow", endedEndOfFlow());
        m.put("sessions_ended_forced", endedForced());
        m.put("sessions_evicted_table_full", evictedFull());
        m.put("interim_exports", interimExports());
        return m;
    }
}
