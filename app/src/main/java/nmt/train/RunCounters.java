package nmt.train;

/**
 * The training loop's counters in one place: updates, epochs, the training time (carried over a
 * resume, so max_minutes and elapsed_s count the whole run), non-finite updates skipped in a row,
 * the training loss since the last validation, and the dev scores. A checkpoint saves them
 * ({@link #saved}); a resumed run starts from what it saved ({@link #resumed}).
 */
final class RunCounters {
    private final long startNanos;
    private final DevProgress dev;
    private int update;
    private int epoch;
    private int skippedInARow;
    private double lossSum;
    private int lossCount;

    private RunCounters(long startNanos, DevProgress dev, int update) {
        this.startNanos = startNanos;
        this.dev = dev;
        this.update = update;
    }

    static RunCounters start() {
        return new RunCounters(System.nanoTime(), new DevProgress(), 0);
    }

    static RunCounters resumed(Checkpoints.State state) {
        long carried = state.seconds() == null ? 0 : (long) (state.seconds() * 1e9);
        return new RunCounters(System.nanoTime() - carried, DevProgress.restored(state.bestBleu(),
                state.validationsWithoutGain(), state.schedule().bad()), state.update());
    }

    /** Updates made, those before a resume included. */
    int update() {
        return update;
    }

    /** The epoch being trained (1 for the first). */
    int epoch() {
        return epoch;
    }

    /** Moves on to the next epoch and returns it. */
    int nextEpoch() {
        return ++epoch;
    }

    /** Training time so far, validations included. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    DevProgress dev() {
        return dev;
    }

    /** An update was made with this training loss. */
    void updated(float loss) {
        skippedInARow = 0;
        update++;
        lossSum += loss;
        lossCount++;
    }

    /** An update was skipped (non-finite loss or gradients); returns how many in a row. */
    int skipped() {
        return ++skippedInARow;
    }

    /** The mean training loss since the last validation, NaN when no update was made since. */
    double meanLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** A validation happened: the training loss starts over. */
    void validated() {
        lossSum = 0;
        lossCount = 0;
    }

    /** What a checkpoint taken after {@code batchesDone} batches of this epoch saves. */
    Checkpoints.State saved(int batchesDone, Schedule schedule) {
        return new Checkpoints.State(update, epoch, batchesDone, dev.bestOrNull(), dev.sinceGain(),
                new Checkpoints.ScheduleState(schedule.current(), dev.bestOrNull(), dev.sinceCut()), seconds());
    }
}
