package nmt.onnx;

import java.nio.file.Path;
import nmt.InputError;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.engine.OnnxSession;
import nmt.model.Seq2Seq;
import nmt.model.rnn.RnnSeq2Seq;
import nmt.model.transformer.TransformerSeq2Seq;

/**
 * A trained network as two ONNX graphs, the encoder and one decoder step (see {@link StepNames}),
 * and their way back into a {@link Seq2Seq} on ONNX Runtime.
 */
public final class OnnxExport {
    public static final String ENCODER = "encoder.onnx";
    public static final String STEP = "decoder_step.onnx";

    private OnnxExport() {
    }

    /** The serialized graphs, as written to {@link #ENCODER} and {@link #STEP}. */
    public record Graphs(byte[] encoder, byte[] step) {
    }

    /**
     * @param int8 linear layers and embeddings with int8 weights (see {@link Weights}); else float32
     * @param producer this tool and its version, recorded in the graphs
     */
    public static Graphs export(Seq2Seq network, ModelConfig architecture, DecodingConfig decoding,
                                long sourceVocabulary, long targetVocabulary, boolean int8, String producer) {
        Weights weights = new Weights(int8);
        if (network instanceof TransformerSeq2Seq transformer) {
            TransformerGraphs graphs = new TransformerGraphs(transformer, architecture, decoding,
                    sourceVocabulary, targetVocabulary);
            return new Graphs(graphs.encoder(weights).model(producer).toByteArray(),
                    graphs.step(weights).model(producer).toByteArray());
        }
        if (network instanceof RnnSeq2Seq rnn) {
            if ("lstm".equals(architecture.rnnType())) {
                throw new InputError("model.rnn_type \"lstm\" cannot be exported to ONNX yet (DJL's LSTM does not "
                        + "compute what the standard LSTM equations give with its stored weights); \"gru\" models export");
            }
            RnnGraphs graphs = new RnnGraphs(rnn, architecture, targetVocabulary);
            return new Graphs(graphs.encoder(weights).model(producer).toByteArray(),
                    graphs.step(weights).model(producer).toByteArray());
        }
        throw new InputError("model.type \"" + architecture.type() + "\" cannot be exported to ONNX yet; "
                + "exporting supports \"transformer\", \"bahdanau\" and \"luong\"");
    }

    /** An exported model directory's graphs, ready to decode. */
    public static OnnxSeq2Seq load(Path dir, OnnxSession.Threads threads) {
        OnnxSession encoder = OnnxSession.open(dir.resolve(ENCODER), threads);
        try {
            return new OnnxSeq2Seq(encoder, OnnxSession.open(dir.resolve(STEP), threads));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }
}
