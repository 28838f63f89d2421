package nmt.serve;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * LibreTranslate's {@code --req-limit}: at most N requests per client address in each minute
 * (a fixed window, as its default limiter counts); the counts start over every minute, so they
 * never hold more than one minute's clients.
 */
final class RequestLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier clock;
    private final Map<String, Integer> counts = new HashMap<>();
    private long window = Long.MIN_VALUE;

    RequestLimiter(int perMinute, LongSupplier clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts a request; 429 in LibreTranslate's words when the client is over its limit. */
    synchronized void admit(String client) {
        if (perMinute <= 0) {
            return;
        }
        long now = Math.floorDiv(clock.getAsLong(), MINUTE_NANOS);
        if (now != window) {
            window = now;
            counts.clear();
        }
        int n = counts.merge(client, 1, Integer::sum);
        if (n > perMinute) {
            throw new ApiError(429, "Slowdown: " + perMinute + " per 1 minute");
        }
    }
}
