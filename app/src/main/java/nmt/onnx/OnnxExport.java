package nmt.onnx;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The graphs' weights, each tensor once (see {@link ExternalData}). */
    public static final String WEIGHTS = "weights.bin";
    /** Every file of an export's network. */
    public static final List<String> FILES = List.of(WEIGHTS, ENCODER, STEP);

    private OnnxExport() {
    }

    /** The serialized graphs and the weights they read, as written to {@link #ENCODER}, {@link #STEP} and {@link #WEIGHTS}. */
    public record Graphs(byte[] encoder, byte[] step, byte[] weights) {
        /** Each of {@link #FILES} with its contents, the weights first. */
        public Map<String, byte[]> files() {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(WEIGHTS, weights);
            files.put(ENCODER, encoder);
            files.put(STEP, step);
            return files;
        }
    }

    /**
     * @param int8 linear layers and embeddings with int8 weights (see {@link Weights}); else float32
     * @param producer this tool and its version, recorded in the graphs
     */
    public static Graphs export(Seq2Seq network, ModelConfig architecture, DecodingConfig decoding,
                                long sourceVocabulary, long targetVocabulary, boolean int8, String producer) {
        Weights weights = new Weights(int8, new ExternalData());
        if (network instanceof TransformerSeq2Seq transformer) {
            TransformerGraphs graphs = new TransformerGraphs(transformer, architecture, decoding,
                    sourceVocabulary, targetVocabulary);
            return new Graphs(graphs.encoder(weights).model(producer).toByteArray(),
                    graphs.step(weights).model(producer).toByteArray(), weights.data().toByteArray());
        }
        if (network instanceof RnnSeq2Seq rnn) {
            if ("lstm".equals(architecture.rnnType())) {
                throw new InputError("model.rnn_type \"lstm\" cannot be exported to ONNX yet (DJL's LSTM does not "
                        + "compute what the standard LSTM equations give with its stored weights); \"gru\" models export");
            }
            RnnGraphs graphs = new RnnGraphs(rnn, architecture, targetVocabulary);
            return new Graphs(graphs.encoder(weights).model(producer).toByteArray(),
                    graphs.step(weights).model(producer).toByteArray(), weights.data().toByteArray());
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
