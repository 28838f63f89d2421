package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void eachClientGetsNRequestsAMinute() {
        AtomicLong now = new AtomicLong(5 * MINUTE + 1);
        RequestLimiter limiter = new RequestLimiter(2, now::get);
        limiter.admit("10.0.0.1");
        limiter.admit("10.0.0.1");
        ApiError third = assertThrows(ApiError.class, () -> limiter.admit("10.0.0.1"));
        assertEquals(429, third.status());
        assertEquals("Slowdown: 2 per 1 minute", third.getMessage());
        assertDoesNotThrow(() -> limiter.admit("10.0.0.2"));
        now.set(6 * MINUTE - 1);
        assertThrows(ApiError.class, () -> limiter.admit("10.0.0.1"));
        now.set(6 * MINUTE);
        assertDoesNotThrow(() -> limiter.admit("10.0.0.1"));
    }

    @Test
    void zeroMeansNoLimit() {
        RequestLimiter limiter = new RequestLimiter(0, () -> 0);
        for (int i = 0; i < 1000; i++) {
            limiter.admit("10.0.0.1");
        }
    }
}
