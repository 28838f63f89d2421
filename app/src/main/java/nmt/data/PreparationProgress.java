package nmt.data;

import java.io.PrintStream;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one pass over a corpus: on a terminal, a bar redrawn in place with pairs/s and the
 * time left; otherwise, as in CI logs, a line every 15 seconds.
 */
final class PreparationProgress {
    private static final Logger LOG = LoggerFactory.getLogger(PreparationProgress.class);
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 500_000_000L;
    private static final long LOG_NANOS = 15_000_000_000L;

    private final String pass;
    private final boolean interactive = System.console() != null;
    private final PrintStream terminal = System.err;
    private final long start = System.nanoTime();
    private long lastShown = start;
    private boolean drawn;

    PreparationProgress(String pass) {
        this.pass = pass;
    }

    /** @param fraction the share of the input's bytes read, 0 to 1 */
    void update(long pairs, double fraction) {
        long now = System.nanoTime();
        if (now - lastShown < (interactive ? REDRAW_NANOS : LOG_NANOS)) {
            return;
        }
        lastShown = now;
        double seconds = (now - start) / 1e9;
        double left = fraction > 0 ? seconds * (1 - fraction) / fraction : Double.NaN;
        String stats = String.format(Locale.ROOT, "%s: %,d pairs, %,.0f pairs/s, %s left", pass, pairs,
                pairs / Math.max(1e-9, seconds), Double.isNaN(left) ? "?" : duration(left));
        if (interactive) {
            int filled = (int) (BAR_WIDTH * Math.min(1, fraction));
            terminal.print("\r[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
                    + (int) (100 * fraction) + "% " + stats + "\u001B[K");
            terminal.flush();
            drawn = true;
        } else {
            LOG.info("{} ({}%)", stats, (int) (100 * fraction));
        }
    }

    /** Ends the bar's line and logs the pass's total. */
    void finish(long pairs) {
        if (drawn) {
            terminal.println();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(String.format(Locale.ROOT, "%s: %,d pairs in %.1f s (%,.0f pairs/s)", pass, pairs, seconds,
                pairs / Math.max(1e-9, seconds)));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
