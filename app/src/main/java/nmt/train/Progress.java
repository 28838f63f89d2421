package nmt.train;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training progress: on a terminal, a bar redrawn in place (epoch, share of the epoch, loss, the
 * last gradient norm, learning rate, target tokens/s); otherwise, as in CI logs, one log line
 * every N updates.
 */
final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 500_000_000L;

    private final boolean interactive;
    private final int logEvery;
    private final PrintStream terminal = System.err;
    private double lossSum;
    private int updates;
    private long tokens;
    private long windowStart = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    Progress(int logEvery) {
        this.interactive = System.console() != null;
        this.logEvery = logEvery;
    }

    void update(int epoch, int batch, int batches, int update, double loss, float gradientNorm, float learningRate,
                int targetTokens) {
        lossSum += loss;
        updates++;
        tokens += targetTokens;
        long now = System.nanoTime();
        double perSecond = tokens / Math.max(1e-9, (now - windowStart) / 1e9);
        String stats = String.format("epoch %d update %d loss %.3f |g| %.2f lr %.2e %.0f target tokens/s", epoch,
                update, lossSum / updates, gradientNorm, learningRate, perSecond);
        if (interactive) {
            if (now - lastDraw >= REDRAW_NANOS || batch == batches) {
                int filled = (int) ((long) BAR_WIDTH * batch / batches);
                terminal.print("\r[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
                        + (100 * batch / batches) + "% " + stats + "\u001B[K");
                terminal.flush();
                lastDraw = now;
                drawn = true;
            }
        } else if (update % logEvery == 0) {
            LOG.info(stats);
        }
        if (update % logEvery == 0) {
            lossSum = 0;
            updates = 0;
            tokens = 0;
            windowStart = now;
        }
    }

    /** Ends the bar's line so that a log line can follow. */
    void pause() {
        if (drawn) {
            terminal.println();
            drawn = false;
        }
    }
}
