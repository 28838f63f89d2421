package nmt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nmt.bench.LoadBenchmark.LevelResult;
import nmt.bench.LoadBenchmark.Outcome;
import org.junit.jupiter.api.Test;

/** The load benchmark's figures from given outcomes; no server. */
class LoadBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void percentileIsTheNearestRankInMilliseconds() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (i + 1) * 1_000_000L;
        }
        assertEquals(50.0, LoadBenchmark.percentileMs(nanos, 0.50));
        assertEquals(99.0, LoadBenchmark.percentileMs(nanos, 0.99));
        assertEquals(7.0, LoadBenchmark.percentileMs(new long[] {7_000_000L}, 0.99));
        assertNull(LoadBenchmark.percentileMs(new long[0], 0.99));
    }

    @Test
    void aLevelCountsOnlyAnsweredRequestsAsGoodput() {
        // 8 answered in 10, 20 .. 80 ms; one 503 after 1 s; one timeout after 120 s. 4 sentences a request.
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            outcomes.add(new Outcome(200, i * 10_000_000L, i == 3 ? 2 : 0));
        }
        outcomes.add(new Outcome(503, 1_000_000_000L, 0));
        outcomes.add(new Outcome(LoadBenchmark.IO_ERROR, 120_000_000_000L, 0));
        LevelResult level = new LevelResult(8, 4, 2.0, outcomes);
        assertEquals(16.0, level.goodput(), 1e-9);
        assertEquals(0.8, level.okShare(), 1e-9);
        assertEquals(2, level.wrong());
        assertEquals(Map.of("200", 8, "503", 1, "io_error", 1), level.statusCounts());
        Map<String, Object> map = level.toMap();
        assertEquals(40.0, map.get("p50_answered_ms"));
        assertEquals(80.0, map.get("p99_answered_ms"));
        assertEquals(120_000.0, map.get("p99_ms"));
        assertEquals(20.0, (double) map.get("sentences_per_s"), 1e-9);
        assertEquals(2L, map.get("errors"));
    }

    @Test
    void overloadStartsFromTheLevelWithTheBestGoodput() {
        LevelResult one = level(1, 50, 100);
        LevelResult eight = level(8, 190, 200);
        LevelResult thirtyTwo = level(32, 194, 200);
        LevelResult sixtyFour = level(64, 194, 200);
        assertSame(thirtyTwo, LoadBenchmark.best(List.of(one, eight, thirtyTwo, sixtyFour)));
        assertEquals(128, LoadBenchmark.overloadClients(32, 4.0));
        assertEquals(48, LoadBenchmark.overloadClients(32, 1.5));
        // round(1.2 * 1) = 1 would repeat the best level: at least one client more.
        assertEquals(2, LoadBenchmark.overloadClients(1, 1.2));
    }

    @Test
    void turnsOfOneLevelCountAsOneLevelOfTheirSummedTime() {
        // 190 of 200 answered in 1 s, then 100 of 100 in 1 s: 290 sentences in 2 s, not the mean of 190 and 100.
        LevelResult together = LevelResult.together(List.of(level(16, 190, 200), level(16, 100, 100)));
        assertEquals(16, together.clients());
        assertEquals(300, together.outcomes().size());
        assertEquals(2.0, together.seconds(), 1e-12);
        assertEquals(145.0, together.goodput(), 1e-9);
        assertEquals(290.0 / 300, together.okShare(), 1e-12);
    }

    @Test
    void answersDifferingFromTheReferenceAreWrong() throws Exception {
        Map<String, String> references = Map.of("a", "A", "b", "B");
        List<String> q = List.of("a", "b", "c");
        assertEquals(0, LoadBenchmark.wrong(q, JSON.readTree("[\"A\", \"B\", \"anything\"]"), references));
        assertEquals(1, LoadBenchmark.wrong(q, JSON.readTree("[\"A\", \"b?\", \"anything\"]"), references));
        assertEquals(3, LoadBenchmark.wrong(q, JSON.readTree("[\"A\", \"B\"]"), references));
        assertEquals(0, LoadBenchmark.wrong(List.of("a"), JSON.readTree("\"A\""), references));
        assertEquals(1, LoadBenchmark.wrong(List.of("a"), MissingNode.getInstance(), references));
    }

    /** A level of 1 s, one sentence a request: the first {@code answered} requests got 200, the rest 503. */
    private static LevelResult level(int clients, int answered, int requests) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            outcomes.add(new Outcome(i < answered ? 200 : 503, 1_000_000L, 0));
        }
        return new LevelResult(clients, 1, 1.0, outcomes);
    }
}
