package nmt.model;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/** DJL embedding blocks for ids 0..n-1: the DJL vocabulary only sizes the table, the model feeds ids. */
public final class Embeddings {
    private Embeddings() {
    }

    public static TrainableWordEmbedding create(int vocabularySize, int dim) {
        List<String> ids = new ArrayList<>(vocabularySize);
        for (int i = 0; i < vocabularySize; i++) {
            ids.add(Integer.toString(i));
        }
        return TrainableWordEmbedding.builder().setVocabulary(new DefaultVocabulary(ids)).setEmbeddingSize(dim).build();
    }

    public static Parameter matrix(TrainableWordEmbedding embedding) {
        return embedding.getParameters().get("embedding");
    }
}
