package nmt.train;

/**
 * The dev BLEU of a run's validations, counted once for everything that waits on it: saving the
 * best model, early stopping (training.patience) and the plateau schedule (plateau_patience).
 */
final class DevProgress {
    private double best = Double.NEGATIVE_INFINITY;
    private int sinceGain;
    private int sinceCut;

    DevProgress() {
    }

    /** As a checkpoint left it; {@code best} is null before the first validation. */
    static DevProgress restored(Double best, int sinceGain, int sinceCut) {
        DevProgress progress = new DevProgress();
        progress.best = best == null ? Double.NEGATIVE_INFINITY : best;
        progress.sinceGain = sinceGain;
        progress.sinceCut = sinceCut;
        return progress;
    }

    /** Counts a validation; true when its score is the best so far. */
    boolean record(double score) {
        if (score > best) {
            best = score;
            sinceGain = 0;
            sinceCut = 0;
            return true;
        }
        sinceGain++;
        sinceCut++;
        return false;
    }

    /** The best score so far, −∞ before any validation. */
    double best() {
        return best;
    }

    /** The best score so far, null before any validation (as checkpoints store it). */
    Double bestOrNull() {
        return best == Double.NEGATIVE_INFINITY ? null : best;
    }

    /** Validations since the best one. */
    int sinceGain() {
        return sinceGain;
    }

    /** Validations since the best one or the last cut of the learning rate, whichever came later. */
    int sinceCut() {
        return sinceCut;
    }

    /** The plateau schedule cut the learning rate: its patience starts over. */
    void cut() {
        sinceCut = 0;
    }
}
