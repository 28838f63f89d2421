package nmt.onnx;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a loaded model's parameters by the names its blocks gave their children, e.g.
 * {@code of(model, "decoder_0", "self_attention", "query").floats("weight")}. DJL stores a child
 * as its position and name ("01decoder_0"), so a name is matched after the two-digit position.
 */
final class Parameters {
    private final Block block;
    private final String path;

    private Parameters(Block block, String path) {
        this.block = block;
        this.path = path;
    }

    static Parameters of(Block root, String... children) {
        Parameters p = new Parameters(root, "model");
        for (String name : children) {
            p = p.child(name);
        }
        return p;
    }

    Parameters child(String name) {
        for (Pair<String, Block> child : block.getChildren()) {
            String key = child.getKey();
            if (key.length() > 2 && key.substring(2).equals(name)) {
                return new Parameters(child.getValue(), path + "." + name);
            }
        }
        throw new IllegalStateException(path + " has no block " + name);
    }

    boolean has(String name) {
        return block.getChildren().keys().stream().anyMatch(k -> k.length() > 2 && k.substring(2).equals(name));
    }

    /** The children of the given class, in order, at any depth. */
    <B extends Block> List<Parameters> all(Class<B> type) {
        List<Parameters> found = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            Parameters c = new Parameters(child.getValue(), path + "." + child.getKey());
            if (type.isInstance(child.getValue())) {
                found.add(c);
            } else {
                found.addAll(c.all(type));
            }
        }
        return found;
    }

    /** Where the block sits, e.g. "model.decoder_0.self_attention". */
    String path() {
        return path;
    }

    Block block() {
        return block;
    }

    float[] floats(String parameter) {
        return array(parameter).getArray().toFloatArray();
    }

    long[] shape(String parameter) {
        return array(parameter).getArray().getShape().getShape();
    }

    boolean hasParameter(String parameter) {
        return block.getDirectParameters().contains(parameter);
    }

    private Parameter array(String parameter) {
        Parameter p = block.getDirectParameters().get(parameter);
        if (p == null) {
            throw new IllegalStateException(path + " has no parameter " + parameter);
        }
        return p;
    }
}
