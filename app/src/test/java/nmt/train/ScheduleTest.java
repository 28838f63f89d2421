package nmt.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import nmt.config.TestConfigs;
import nmt.config.TrainingConfig;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static TrainingConfig config(String schedule, double lr) {
        return TestConfigs.training("learning_rate", lr, "schedule", schedule, "warmup_steps", 100,
                "plateau_factor", 0.5, "plateau_patience", 2, "min_learning_rate", 1e-4);
    }

    @Test
    void noamRisesLinearlyThenDecaysWithTheInverseSquareRoot() {
        Schedule s = new Schedule(config("noam", 2.0), 256);
        double peak = 2.0 / Math.sqrt(256) / Math.sqrt(100);
        assertEquals(peak / 2, s.getNewValue(50), 1e-7);
        assertEquals(peak, s.getNewValue(100), 1e-7);
        assertEquals(peak / 2, s.getNewValue(400), 1e-7);
    }

    private static void validated(Schedule s, DevProgress dev, double score) {
        dev.record(score);
        s.onValidation(dev);
    }

    @Test
    void plateauHalvesAfterPatienceAndStopsAtTheMinimum() {
        Schedule s = new Schedule(config("plateau", 1e-3), 256);
        DevProgress dev = new DevProgress();
        validated(s, dev, 10);
        validated(s, dev, 9);
        assertEquals(1e-3f, s.getNewValue(1));
        validated(s, dev, 10);
        assertEquals(5e-4f, s.getNewValue(1));
        assertEquals(2, dev.sinceGain(), "early stopping still counts from the best validation");
        assertEquals(0, dev.sinceCut());
        for (int i = 0; i < 20; i++) {
            validated(s, dev, 0);
        }
        assertEquals(1e-4f, s.getNewValue(1));
    }

    @Test
    void constantStaysPut() {
        Schedule s = new Schedule(config("constant", 3e-4), 256);
        DevProgress dev = new DevProgress();
        validated(s, dev, 1);
        validated(s, dev, 0);
        validated(s, dev, 0);
        assertEquals(3e-4f, s.getNewValue(12345));
    }

    @Test
    void linearWarmsUpThenFallsToTheMinimumAtTheLastUpdate() {
        Schedule s = new Schedule(config("linear", 1e-3), 256);
        s.budget(1100, 0);
        assertEquals(1e-3f * 0.5 * (1 - 50 / 1100.0), s.getNewValue(50), 1e-9);
        assertEquals(1e-3f * (1 - 100 / 1100.0), s.getNewValue(100), 1e-9);
        assertEquals(1e-3f * (1 - 600 / 1100.0), s.getNewValue(600), 1e-9);
        assertEquals(1e-4f, s.getNewValue(1050), 1e-9);
        assertEquals(1e-4f, s.getNewValue(5000), 1e-9);
    }

    @Test
    void linearFollowsTheClockWhenTheTimeBudgetEndsFirst() {
        Schedule s = new Schedule(config("linear", 1e-3), 256);
        s.budget(1_000_000, 600);
        s.elapsed(150);
        assertEquals(7.5e-4f, s.getNewValue(200), 1e-9);
        s.elapsed(480);
        assertEquals(2e-4f, s.getNewValue(201), 1e-9);
        s.elapsed(700);
        assertEquals(1e-4f, s.getNewValue(202), 1e-9);
    }
}
