package nmt.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.stream.Stream;
import nmt.engine.Engines;
import nmt.model.attention.AdditiveScore;
import nmt.model.attention.AttendedSource;
import nmt.model.attention.AttentionResult;
import nmt.model.attention.AttentionScore;
import nmt.model.attention.MultiplicativeScore;
import nmt.model.attention.RnnAttention;
import nmt.model.attention.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AttentionTest {
    private static final int B = 3;
    private static final int TQ = 2;
    private static final int S = 6;
    private static final int D = 4;
    private static final int[] LENGTHS = {6, 3, 1};

    private NDManager manager;
    private ParameterStore ps;

    @BeforeEach
    void setUp() {
        Engines.pytorch().setRandomSeed(7);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<String> variants() {
        return Stream.of("additive", "dot", "general", "general-scaled", "local-m", "local-p", "hard");
    }

    private RnnAttention build(String variant) {
        AttentionScore score = switch (variant) {
            case "additive" -> new AdditiveScore(D, D, 5);
            case "dot", "local-m", "hard" -> new MultiplicativeScore(D, D, false, false);
            default -> new MultiplicativeScore(D, D, true, variant.endsWith("scaled"));
        };
        Window window = variant.equals("local-m") ? Window.LOCAL_M : variant.equals("local-p") ? Window.LOCAL_P : Window.GLOBAL;
        RnnAttention attention = new RnnAttention(score, D, window, 2, variant.equals("hard"));
        attention.initialize(manager, DataType.FLOAT32, new Shape(B, TQ, D), new Shape(B, S, D), new Shape(B, S, D),
                new Shape(B));
        return attention;
    }

    private AttentionResult run(RnnAttention attention, NDArray keys) {
        NDArray query = manager.randomNormal(new Shape(B, TQ, D));
        AttendedSource attended = attention.prepare(ps, keys, keys, manager.create(LENGTHS), false);
        return attention.attend(ps, query, attended, 0, false);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shapesAndZeroWeightOnPadding(String variant) {
        RnnAttention attention = build(variant);
        AttentionResult result = run(attention, manager.randomNormal(new Shape(B, S, D)));
        assertEquals(new Shape(B, TQ, D), result.context().getShape());
        assertEquals(new Shape(B, TQ, S), result.weights().getShape());
        float[] w = result.weights().toFloatArray();
        for (int b = 0; b < B; b++) {
            for (int q = 0; q < TQ; q++) {
                for (int s = LENGTHS[b]; s < S; s++) {
                    assertEquals(0f, w[(b * TQ + q) * S + s], variant + " puts weight on padding");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void softWeightsSumToOne(String variant) {
        if (variant.startsWith("local")) {
            return;
        }
        float[] sums = run(build(variant), manager.randomNormal(new Shape(B, S, D))).weights().sum(new int[] {2})
                .toFloatArray();
        for (float sum : sums) {
            assertEquals(1f, sum, 1e-5f);
        }
    }

    @Test
    void localWeightsAreTheWindowedSoftmaxTimesTheGaussian() {
        RnnAttention attention = build("local-m");
        NDArray keys = manager.zeros(new Shape(B, S, D));
        AttentionResult result = run(attention, keys);
        float[] w = result.weights().toFloatArray();
        // Equal scores: uniform over the window |s − p| ≤ 2 around p = min(t, len − 1), times exp(−(s−p)²/2σ²), σ = 1.
        float[] expectedRow0Step1 = new float[S];
        for (int s = 0; s <= 3; s++) {
            expectedRow0Step1[s] = (float) (Math.exp(-(s - 1) * (s - 1) / 2.0) / 4);
        }
        float[] actual = new float[S];
        System.arraycopy(w, S, actual, 0, S);
        assertArrayEquals(expectedRow0Step1, actual, 1e-6f);
        assertEquals(1f, w[2 * TQ * S], 1e-6f, "a one-token source gets all the weight");
    }

    @Test
    void hardAttentionIsOneHotOnTheArgMax() {
        AttentionResult hard = run(build("hard"), manager.randomNormal(new Shape(B, S, D)));
        float[] w = hard.weights().toFloatArray();
        for (int row = 0; row < B * TQ; row++) {
            int ones = 0;
            for (int s = 0; s < S; s++) {
                float x = w[row * S + s];
                assertEquals(true, x == 0f || x == 1f);
                ones += x == 1f ? 1 : 0;
            }
            assertEquals(1, ones);
        }
    }

    @Test
    void dotScoreOnHandValues() {
        RnnAttention attention = build("dot");
        NDArray keys = manager.create(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, new Shape(1, 2, D));
        NDArray query = manager.create(new float[] {2, 0, 0, 0}, new Shape(1, 1, D));
        AttendedSource attended = attention.prepare(ps, keys, keys, manager.create(new int[] {2}), false);
        AttentionResult result = attention.attend(ps, query, attended, 0, false);
        double e2 = Math.exp(2);
        float[] expected = {(float) (e2 / (e2 + 1)), (float) (1 / (e2 + 1))};
        assertArrayEquals(expected, result.weights().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {expected[0], expected[1], 0, 0}, result.context().toFloatArray(), 1e-6f);
    }
}
