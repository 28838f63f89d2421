package nmt.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import nmt.InputError;
import nmt.config.DataConfig;

/**
 * A training split prepared by {@link CorpusPreparation}. On disk:
 * {@code train.tokens} holds every kept pair's source ids then target ids (16-bit little-endian
 * where both vocabularies have at most 65,536 entries, else 32-bit); {@code train.lengths} holds
 * each pair's source and target length (16 bits each); {@code recipe.json} says what made it and
 * what it holds; the vocabularies and merges sit beside them. The heap keeps the lengths (4 bytes
 * a pair, for batching) and the token offset of every 64th pair; a pair's ids are read with one
 * positional read from the page cache. (A memory map made the process's resident memory grow by
 * the kernel's fault-around, 64 KB for each pair read at random: 1.2 GB in 200 updates.)
 */
public final class PreparedCorpus implements TrainingPairs, Closeable {
    public static final String RECIPE = "recipe.json";
    public static final String TOKENS = "train.tokens";
    public static final String LENGTHS = "train.lengths";
    static final int FORMAT = 1;
    private static final int BLOCK_SHIFT = 6;

    /**
     * What a prepared corpus holds.
     *
     * @param inputPairs       pairs read from the text
     * @param pairs            pairs kept
     * @param tokens           ids stored, both sides
     * @param tokenBytes       2 or 4
     * @param learnedFromPairs pairs merges and vocabularies were learned from (0 when they were given)
     * @param vocabularyDigest {@link LanguagePair#digest()} of the vocabularies beside the files
     * @param seconds          how long preparing took
     */
    public record Stats(long inputPairs, int pairs, long tokens, int tokenBytes, long skippedEmpty, long skippedLong,
                        long learnedFromPairs, String vocabularyDigest, double seconds) {
    }

    private final Path dir;
    private final LanguagePair languages;
    private final Stats stats;
    private final char[] sourceLengths;
    private final char[] targetLengths;
    private final long[] blockOffsets;
    private final FileChannel tokens;
    private final int sourceVocabulary;
    private final int targetVocabulary;

    private PreparedCorpus(Path dir, LanguagePair languages, Stats stats, char[] sourceLengths, char[] targetLengths,
                           long[] blockOffsets, FileChannel tokens) {
        this.dir = dir;
        this.languages = languages;
        this.stats = stats;
        this.sourceLengths = sourceLengths;
        this.targetLengths = targetLengths;
        this.blockOffsets = blockOffsets;
        this.tokens = tokens;
        this.sourceVocabulary = languages.sourcePipeline().vocabulary().size();
        this.targetVocabulary = languages.targetPipeline().vocabulary().size();
    }

    /** Reads {@code recipe.json}: its "recipe" and "corpus" objects. */
    static JsonNode readRecipe(Path dir) {
        Path file = dir.resolve(RECIPE);
        try {
            JsonNode root = CorpusRecipe.JSON.readTree(file.toFile());
            if (root == null || !root.path("recipe").isObject() || !root.path("corpus").isObject()) {
                throw new InputError(file + ": not a prepared corpus's recipe (no \"recipe\" and \"corpus\" objects); "
                        + "delete " + dir + " and run again to prepare the corpus anew");
            }
            if (root.path("format").asInt() != FORMAT) {
                throw new InputError(file + ": prepared corpus format " + root.path("format") + "; this nmt reads "
                        + FORMAT + ": delete " + dir + " and run again to prepare the corpus anew");
            }
            return root;
        } catch (IOException e) {
            throw new InputError(file + ": unreadable (" + e.getMessage() + "); delete " + dir
                    + " and run again to prepare the corpus anew");
        }
    }

    static Stats stats(JsonNode root) {
        JsonNode c = root.get("corpus");
        return new Stats(c.path("input_pairs").asLong(), c.path("pairs").asInt(), c.path("tokens").asLong(),
                c.path("token_bytes").asInt(), c.path("skipped_empty").asLong(), c.path("skipped_long").asLong(),
                c.path("learned_from_pairs").asLong(), c.path("vocabulary_digest").asText(),
                c.path("seconds").asDouble());
    }

    /** Opens a prepared corpus, checking that its files are whole; a damaged file is one line naming it. */
    public static PreparedCorpus open(Path dir, DataConfig config) {
        JsonNode root = readRecipe(dir);
        Stats stats = stats(root);
        LanguagePair languages;
        try {
            languages = LanguagePair.load(config, dir);
        } catch (InputError e) {
            throw corrupt(dir, e.getMessage());
        }
        if (!languages.digest().equals(stats.vocabularyDigest())) {
            throw corrupt(dir, dir + ": the vocabularies or merges beside the prepared corpus were changed");
        }
        if (stats.tokenBytes() != 2 && stats.tokenBytes() != 4) {
            throw corrupt(dir, dir.resolve(RECIPE) + ": token_bytes must be 2 or 4, got " + stats.tokenBytes());
        }
        int n = stats.pairs();
        Path lengthsFile = dir.resolve(LENGTHS);
        Path tokensFile = dir.resolve(TOKENS);
        checkSize(dir, lengthsFile, 4L * n);
        checkSize(dir, tokensFile, stats.tokens() * stats.tokenBytes());
        char[] source = new char[n];
        char[] target = new char[n];
        long[] blocks = new long[(n >> BLOCK_SHIFT) + 1];
        long total = 0;
        try (FileChannel channel = FileChannel.open(lengthsFile, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            while (i < n) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    throw corrupt(dir, lengthsFile + ": ends early");
                }
                buffer.flip();
                while (buffer.remaining() >= 4 && i < n) {
                    source[i] = buffer.getChar();
                    target[i] = buffer.getChar();
                    if (source[i] == 0 || target[i] == 0) {
                        throw corrupt(dir, lengthsFile + ": pair " + (i + 1) + " has an empty side");
                    }
                    if ((i & ((1 << BLOCK_SHIFT) - 1)) == 0) {
                        blocks[i >> BLOCK_SHIFT] = total;
                    }
                    total += source[i] + target[i];
                    i++;
                }
                channel.position(channel.position() - buffer.remaining());
            }
        } catch (IOException e) {
            throw corrupt(dir, lengthsFile + ": unreadable (" + e.getMessage() + ")");
        }
        if (total != stats.tokens()) {
            throw corrupt(dir, lengthsFile + ": the lengths add up to " + total + " tokens but " + TOKENS + " holds "
                    + stats.tokens());
        }
        try {
            return new PreparedCorpus(dir, languages, stats, source, target, blocks,
                    FileChannel.open(tokensFile, StandardOpenOption.READ));
        } catch (IOException e) {
            throw corrupt(dir, tokensFile + ": cannot be opened (" + e.getMessage() + ")");
        }
    }

    private static void checkSize(Path dir, Path file, long expected) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw corrupt(dir, file + " is missing");
        }
        if (size != expected) {
            throw corrupt(dir, file + " has " + size + " bytes but its recipe says " + expected
                    + (size < expected ? " (truncated)" : ""));
        }
    }

    private static InputError corrupt(Path dir, String what) {
        return new InputError("prepared corpus damaged: " + what + "; delete " + dir
                + " and run again to prepare it anew");
    }

    public Path path() {
        return dir;
    }

    public LanguagePair languages() {
        return languages;
    }

    public Stats stats() {
        return stats;
    }

    @Override
    public int size() {
        return sourceLengths.length;
    }

    @Override
    public int sourceLength(int i) {
        return sourceLengths[i];
    }

    @Override
    public int targetLength(int i) {
        return targetLengths[i];
    }

    @Override
    public Example example(int i) {
        long offset = blockOffsets[i >> BLOCK_SHIFT];
        for (int j = i & ~((1 << BLOCK_SHIFT) - 1); j < i; j++) {
            offset += sourceLengths[j] + targetLengths[j];
        }
        int width = stats.tokenBytes();
        ByteBuffer bytes = ByteBuffer.allocate((sourceLengths[i] + targetLengths[i]) * width)
                .order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (bytes.hasRemaining()) {
                if (tokens.read(bytes, offset * width + bytes.position()) < 0) {
                    throw corrupt(dir, dir.resolve(TOKENS) + ": ends inside pair " + (i + 1));
                }
            }
        } catch (IOException e) {
            throw corrupt(dir, dir.resolve(TOKENS) + ": unreadable (" + e.getMessage() + ")");
        }
        bytes.flip();
        int[] source = ids(bytes, sourceLengths[i], width, sourceVocabulary, i);
        int[] target = ids(bytes, targetLengths[i], width, targetVocabulary, i);
        return new Example(source, target);
    }

    private int[] ids(ByteBuffer bytes, int length, int width, int vocabulary, int pair) {
        int[] ids = new int[length];
        for (int k = 0; k < length; k++) {
            int id = width == 2 ? bytes.getChar() : bytes.getInt();
            if (id < 0 || id >= vocabulary) {
                throw corrupt(dir, dir.resolve(TOKENS) + ": pair " + (pair + 1) + " holds id " + id
                        + ", outside its vocabulary of " + vocabulary);
            }
            ids[k] = id;
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        tokens.close();
    }
}
