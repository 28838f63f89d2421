package nmt.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import nmt.InputError;
import nmt.config.BpeConfig;
import nmt.config.CorpusPaths;
import nmt.config.DataConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the training text once and writes a {@link PreparedCorpus}: BPE merges and vocabularies
 * learned from the training split (from a uniform sample of {@code data.sample_size} pairs when it
 * is larger), then every pair encoded in parallel chunks (a reading thread, a worker per core, a
 * bounded queue of chunks, written back in order), with the same length filters as training had.
 * The files are written into a staging folder that replaces the target folder only when whole.
 */
public final class CorpusPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(CorpusPreparation.class);
    private static final int CHUNK_PAIRS = 2048;
    private static final long SAMPLE_SEED = 1;
    /** Name suffixes of the folders beside the target while it is written and replaced. */
    private static final String STAGING = ".partial-";
    private static final String REPLACED = ".old-";

    private final DataConfig config;
    private final int threads;
    private final String name;

    private CorpusPreparation(DataConfig config, int threads) {
        this.config = config;
        this.threads = threads;
        this.name = CorpusReader.name(config.train(), config.src(), config.trg());
    }

    /** As {@link #prepare(DataConfig, Path, LanguagePair, int)} on every core. */
    public static PreparedCorpus prepare(DataConfig config, Path dir, LanguagePair given) {
        return prepare(config, dir, given, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The prepared corpus in {@code dir}: reused when its recipe matches, else (re)made.
     *
     * @param given   the vocabularies and merges of a model being resumed or fine-tuned, or null to learn them
     * @param threads encoding threads
     */
    public static PreparedCorpus prepare(DataConfig config, Path dir, LanguagePair given, int threads) {
        CorpusRecipe wanted = CorpusRecipe.of(config, given);
        String missing = wanted.missingFile();
        if (missing != null && !Files.isRegularFile(dir.resolve(PreparedCorpus.RECIPE))) {
            throw new InputError(missing + ": file not found");
        }
        if (missing != null && config.bpe().dropout() > 0) {
            throw new InputError(missing + ": file not found; data.bpe.dropout segments the training text anew "
                    + "every epoch, so it needs the text, not only the prepared corpus");
        }
        if (Files.isRegularFile(dir.resolve(PreparedCorpus.RECIPE))) {
            JsonNode root = PreparedCorpus.readRecipe(dir);
            String difference = wanted.differenceFrom(root.get("recipe"),
                    PreparedCorpus.stats(root).vocabularyDigest());
            if (difference == null) {
                if (missing != null) {
                    LOG.warn("{} is gone: training reads the corpus prepared from it in {}", missing, dir);
                }
                PreparedCorpus corpus = PreparedCorpus.open(dir, config);
                LOG.info(String.format(Locale.ROOT, "prepared corpus %s: %,d pairs, recipe unchanged, reused", dir,
                        corpus.size()));
                return corpus;
            }
            if (missing != null) {
                throw new InputError(missing + ": file not found, and the corpus prepared in " + dir
                        + " was made with another recipe (" + difference + ")");
            }
            LOG.info("prepared corpus {} was made with another recipe ({}): preparing it again", dir, difference);
        } else if (Files.isDirectory(dir) && !isEmpty(dir)) {
            throw new InputError(dir + " is not a prepared corpus (it has no " + PreparedCorpus.RECIPE
                    + ") and is not empty: set data.prepared to another folder, or remove it");
        }
        return new CorpusPreparation(config, threads).build(dir, wanted, given);
    }

    private PreparedCorpus build(Path dir, CorpusRecipe recipe, LanguagePair given) {
        long start = System.nanoTime();
        Path target = dir.toAbsolutePath().normalize();
        Path staging;
        try {
            Files.createDirectories(target.getParent());
            removeLeftovers(target);
            staging = Files.createTempDirectory(target.getParent(), target.getFileName() + STAGING);
        } catch (IOException e) {
            throw new InputError("cannot create " + dir + ": " + e.getMessage());
        }
        try {
            LanguagePair languages;
            long learnedFrom = 0;
            if (given == null) {
                Learned learned = learn();
                languages = learned.languages();
                learnedFrom = learned.pairs();
            } else {
                languages = given;
            }
            languages.save(staging);
            Written written = encode(staging, languages);
            Map<String, Object> corpus = new LinkedHashMap<>();
            corpus.put("input_pairs", written.inputPairs());
            corpus.put("pairs", written.pairs());
            corpus.put("tokens", written.tokens());
            corpus.put("token_bytes", written.tokenBytes());
            corpus.put("skipped_empty", written.skippedEmpty());
            corpus.put("skipped_long", written.skippedLong());
            corpus.put("learned_from_pairs", learnedFrom);
            corpus.put("vocabulary_digest", languages.digest());
            corpus.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("format", PreparedCorpus.FORMAT);
            root.put("recipe", recipe.settings());
            root.put("corpus", corpus);
            CorpusRecipe.JSON.writeValue(staging.resolve(PreparedCorpus.RECIPE).toFile(), root);
            replace(staging, target);
            LOG.info(String.format(Locale.ROOT, "prepared corpus %s: %,d pairs (%,d with an empty side, %,d longer "
                            + "than %d tokens skipped), %,d tokens in %d-byte ids, %.1f s", dir, written.pairs(),
                    written.skippedEmpty(), written.skippedLong(), config.maxLength(), written.tokens(),
                    written.tokenBytes(), (System.nanoTime() - start) / 1e9));
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new InputError("cannot write the prepared corpus in " + dir + ": " + e.getMessage());
        } catch (RuntimeException | Error e) {
            deleteQuietly(staging);
            throw e;
        }
        return PreparedCorpus.open(dir, config);
    }

    // ---- learning merges and vocabularies ----

    private record Learned(LanguagePair languages, long pairs) {
    }

    /**
     * One side's word (or character) tokens of the sampled pairs, as ids of distinct tokens. Workers
     * give the ids (the map is concurrent; which token gets which id does not matter, as merges and
     * vocabularies are learned from counts in a fixed order); the reading thread only counts.
     */
    private static final class Side {
        final Tokenizer base;
        final Map<String, Integer> ids = new ConcurrentHashMap<>();
        final AtomicInteger nextId = new AtomicInteger();
        long[] counts = new long[1024];
        final List<int[]> chunkTokens = new ArrayList<>();
        final List<int[]> chunkLengths = new ArrayList<>();
        List<String> types;

        Side(Tokenizer base) {
            this.base = base;
        }

        /** On a worker: the chunk's sentences as token ids, then their lengths. */
        int[][] intern(List<List<String>> sentences) {
            int total = 0;
            for (List<String> s : sentences) {
                total += s.size();
            }
            int[] tokens = new int[total];
            int[] lengths = new int[sentences.size()];
            int k = 0;
            for (int p = 0; p < sentences.size(); p++) {
                lengths[p] = sentences.get(p).size();
                for (String token : sentences.get(p)) {
                    Integer id = ids.get(token);
                    tokens[k++] = id != null ? id : ids.computeIfAbsent(token, t -> nextId.getAndIncrement());
                }
            }
            return new int[][] {tokens, lengths};
        }

        /** On the reading thread, in corpus order. */
        void add(int[][] chunk) {
            for (int id : chunk[0]) {
                if (id >= counts.length) {
                    counts = Arrays.copyOf(counts, Math.max(counts.length * 2, id + 1));
                }
                counts[id]++;
            }
            chunkTokens.add(chunk[0]);
            chunkLengths.add(chunk[1]);
        }

        /** After the pass: the tokens in id order. */
        void finish() {
            String[] byId = new String[ids.size()];
            ids.forEach((token, id) -> byId[id] = token);
            types = Arrays.asList(byId);
            counts = Arrays.copyOf(counts, byId.length);
        }

        /** How often each word occurs, joiner marks removed: what BPE learns from. */
        void addWordCounts(Map<String, Integer> into) {
            for (int t = 0; t < types.size(); t++) {
                String core = BpeTokenizer.core(types.get(t));
                if (!core.isEmpty()) {
                    into.merge(core, (int) counts[t], Integer::sum);
                }
            }
        }
    }

    private Learned learn() {
        TextNormalizer normalizer = new TextNormalizer(config.normalization(), config.lowercase());
        Side source = new Side(Tokenizer.create(config.srcTokenizer(), config.src()));
        Side target = new Side(Tokenizer.create(config.trgTokenizer(), config.trg()));
        int sampleSize = config.sampleSize();
        long total = sampleSize == 0 ? 0 : countPairs();
        boolean everything = sampleSize == 0 || total <= sampleSize;
        Random sampler = new Random(SAMPLE_SEED);
        long[] chosen = {0};
        // Selection sampling (Knuth's algorithm S): exactly sampleSize pairs, uniformly, in one pass.
        LongPredicate select = index -> {
            boolean take = everything || sampler.nextDouble() * (total - index) < sampleSize - chosen[0];
            chosen[0] += take ? 1 : 0;
            return take;
        };
        run(everything ? "reading the training text" : "reading a sample of " + sampleSize + " pairs", select,
                chunk -> {
                    List<List<String>> s = new ArrayList<>(chunk.source().size());
                    List<List<String>> t = new ArrayList<>(chunk.source().size());
                    for (int i = 0; i < chunk.source().size(); i++) {
                        s.add(source.base.tokenize(normalizer.normalize(chunk.source().get(i))));
                        t.add(target.base.tokenize(normalizer.normalize(chunk.target().get(i))));
                    }
                    return List.of(source.intern(s), target.intern(t));
                },
                sides -> {
                    source.add(sides.get(0));
                    target.add(sides.get(1));
                });
        source.finish();
        target.finish();
        if (!everything) {
            LOG.info(String.format(Locale.ROOT, "merges and vocabularies are learned from %,d of %,d pairs "
                    + "(data.sample_size)", chosen[0], total));
        }

        Tokenizer sourceTokenizer = source.base;
        Tokenizer targetTokenizer = target.base;
        boolean sourceBpe = "bpe".equals(config.srcTokenizer());
        boolean targetBpe = "bpe".equals(config.trgTokenizer());
        if (sourceBpe && targetBpe && config.bpe().joint()) {
            Map<String, Integer> words = new HashMap<>();
            source.addWordCounts(words);
            target.addWordCounts(words);
            BpeCodes codes = learnBpe(config.bpe(), words, "joint " + config.src() + "+" + config.trg());
            sourceTokenizer = new BpeTokenizer((WordTokenizer) source.base, codes);
            targetTokenizer = new BpeTokenizer((WordTokenizer) target.base, codes);
        } else {
            if (sourceBpe) {
                Map<String, Integer> words = new HashMap<>();
                source.addWordCounts(words);
                sourceTokenizer = new BpeTokenizer((WordTokenizer) source.base, learnBpe(config.bpe(), words,
                        config.src()));
            }
            if (targetBpe) {
                Map<String, Integer> words = new HashMap<>();
                target.addWordCounts(words);
                targetTokenizer = new BpeTokenizer((WordTokenizer) target.base, learnBpe(config.bpe(), words,
                        config.trg()));
            }
        }
        List<List<String>> sourcePieces = pieces(source, sourceTokenizer);
        List<List<String>> targetPieces = pieces(target, targetTokenizer);

        // Which sampled pairs training would keep, and how often each token occurs in them.
        long[] sourceKept = new long[source.types.size()];
        long[] targetKept = new long[target.types.size()];
        BitSet kept = new BitSet();
        int pair = 0;
        long empty = 0;
        long tooLong = 0;
        for (int c = 0; c < source.chunkLengths.size(); c++) {
            int[] sTokens = source.chunkTokens.get(c);
            int[] tTokens = target.chunkTokens.get(c);
            int[] sLengths = source.chunkLengths.get(c);
            int[] tLengths = target.chunkLengths.get(c);
            int sAt = 0;
            int tAt = 0;
            for (int p = 0; p < sLengths.length; p++, pair++) {
                int s = pieceCount(sTokens, sAt, sLengths[p], sourcePieces);
                int t = pieceCount(tTokens, tAt, tLengths[p], targetPieces);
                if (s == 0 || t == 0) {
                    empty++;
                } else if (s > config.maxLength() || t > config.maxLength()) {
                    tooLong++;
                } else {
                    kept.set(pair);
                    for (int k = 0; k < sLengths[p]; k++) {
                        sourceKept[sTokens[sAt + k]]++;
                    }
                    for (int k = 0; k < tLengths[p]; k++) {
                        targetKept[tTokens[tAt + k]]++;
                    }
                }
                sAt += sLengths[p];
                tAt += tLengths[p];
            }
        }
        if (kept.isEmpty()) {
            throw noPairsLeft(empty, tooLong);
        }
        Map<String, Long> sourceCounts = counts(sourcePieces, sourceKept);
        Map<String, Long> targetCounts = counts(targetPieces, targetKept);
        // With BPE-dropout the vocabularies also count one dropped-out segmentation, so that the pieces
        // later epochs produce are mostly known.
        double dropout = config.bpe().dropout();
        if (dropout > 0) {
            addDropoutPass(source, sourceTokenizer, kept, dropout, sourceCounts);
            addDropoutPass(target, targetTokenizer, kept, dropout, targetCounts);
        }
        Vocabulary sourceVocabulary;
        Vocabulary targetVocabulary;
        if (config.jointVocab()) {
            Map<String, Long> both = new HashMap<>(sourceCounts);
            targetCounts.forEach((token, n) -> both.merge(token, n, Long::sum));
            sourceVocabulary = Vocabulary.fromCounts(both, config.srcVocab().minFreq(), config.srcVocab().maxSize());
            targetVocabulary = sourceVocabulary;
        } else {
            sourceVocabulary = Vocabulary.fromCounts(sourceCounts, config.srcVocab().minFreq(),
                    config.srcVocab().maxSize());
            targetVocabulary = Vocabulary.fromCounts(targetCounts, config.trgVocab().minFreq(),
                    config.trgVocab().maxSize());
        }
        return new Learned(new LanguagePair(new TextPipeline(normalizer, sourceTokenizer, sourceVocabulary),
                new TextPipeline(normalizer, targetTokenizer, targetVocabulary)), chosen[0]);
    }

    private InputError noPairsLeft(long empty, long tooLong) {
        return new InputError(name + ": no training pairs left after filtering (" + empty + " with an empty side, "
                + tooLong + " longer than data.max_length=" + config.maxLength() + ")");
    }

    private static List<List<String>> pieces(Side side, Tokenizer tokenizer) {
        List<List<String>> pieces = new ArrayList<>(side.types.size());
        for (String type : side.types) {
            pieces.add(tokenizer instanceof BpeTokenizer bpe ? bpe.split(List.of(type)) : List.of(type));
        }
        return pieces;
    }

    private static int pieceCount(int[] tokens, int from, int length, List<List<String>> pieces) {
        int n = 0;
        for (int k = 0; k < length; k++) {
            n += pieces.get(tokens[from + k]).size();
        }
        return n;
    }

    private static Map<String, Long> counts(List<List<String>> pieces, long[] occurrences) {
        Map<String, Long> counts = new HashMap<>();
        for (int t = 0; t < occurrences.length; t++) {
            if (occurrences[t] > 0) {
                for (String piece : pieces.get(t)) {
                    counts.merge(piece, occurrences[t], Long::sum);
                }
            }
        }
        return counts;
    }

    /** Counts one BPE-dropout segmentation of the kept pairs, token by token in corpus order. */
    private static void addDropoutPass(Side side, Tokenizer tokenizer, BitSet kept, double dropout,
                                       Map<String, Long> counts) {
        if (!(tokenizer instanceof BpeTokenizer bpe)) {
            return;
        }
        BpeTokenizer dropped = bpe.withDropout(new Random(0), dropout);
        int pair = 0;
        for (int c = 0; c < side.chunkLengths.size(); c++) {
            int[] tokens = side.chunkTokens.get(c);
            int at = 0;
            for (int length : side.chunkLengths.get(c)) {
                if (kept.get(pair++)) {
                    for (int k = 0; k < length; k++) {
                        for (String piece : dropped.split(List.of(side.types.get(tokens[at + k])))) {
                            counts.merge(piece, 1L, Long::sum);
                        }
                    }
                }
                at += length;
            }
        }
    }

    private static BpeCodes learnBpe(BpeConfig config, Map<String, Integer> words, String what) {
        long start = System.nanoTime();
        BpeLearner learner = new BpeLearner(words);
        BpeCodes codes = new BpeCodes(learner.learn(config.mergesFor(learner.alphabetSize()), config.minFrequency()));
        LOG.info(String.format(Locale.ROOT, "BPE %s: learned %d merges over %d starting symbols in %.2f s", what,
                codes.size(), learner.alphabetSize(), (System.nanoTime() - start) / 1e9));
        return codes;
    }

    /** Pairs in the training split, counted from the line breaks of one file per part. */
    private long countPairs() {
        long pairs = 0;
        for (String part : config.train().parts()) {
            Path file = CorpusPaths.isTsv(part) ? Path.of(part) : CorpusPaths.side(part, config.src());
            try (InputStream in = TextFiles.open(file)) {
                byte[] buffer = new byte[1 << 16];
                int last = '\n';
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            pairs++;
                        }
                    }
                    if (n > 0) {
                        last = buffer[n - 1];
                    }
                }
                pairs += last == '\n' ? 0 : 1;
            } catch (IOException e) {
                throw TextFiles.cannotRead(file, e);
            }
        }
        return pairs;
    }

    // ---- encoding ----

    private record Written(long inputPairs, int pairs, long tokens, int tokenBytes, long skippedEmpty,
                           long skippedLong) {
    }

    /** One chunk's output, already in file byte order so the writing thread only copies. */
    private record EncodedChunk(byte[] tokens, byte[] lengths, int pairs, long tokenCount, long empty, long tooLong) {
    }

    private Written encode(Path staging, LanguagePair languages) throws IOException {
        PairEncoder encoder = new PairEncoder(languages, config.maxLength());
        int width = Math.max(languages.sourcePipeline().vocabulary().size(), languages.targetPipeline().vocabulary().size())
                <= 1 << 16 ? 2 : 4;
        long[] totals = new long[4];
        try (OutputStream tokens = new BufferedOutputStream(Files.newOutputStream(
                staging.resolve(PreparedCorpus.TOKENS)), 1 << 20);
             OutputStream lengths = new BufferedOutputStream(Files.newOutputStream(
                     staging.resolve(PreparedCorpus.LENGTHS)), 1 << 16)) {
            long input = run("encoding", index -> true, chunk -> encodeChunk(encoder, chunk, width), encoded -> {
                try {
                    tokens.write(encoded.tokens());
                    lengths.write(encoded.lengths());
                } catch (IOException e) {
                    throw new InputError("cannot write the prepared corpus: " + e.getMessage());
                }
                totals[0] += encoded.pairs();
                totals[1] += encoded.tokenCount();
                totals[2] += encoded.empty();
                totals[3] += encoded.tooLong();
            });
            if (totals[0] == 0) {
                throw noPairsLeft(totals[2], totals[3]);
            }
            if (totals[0] > Integer.MAX_VALUE) {
                throw new InputError(name + ": " + totals[0] + " training pairs; at most " + Integer.MAX_VALUE
                        + " fit one prepared corpus");
            }
            return new Written(input, (int) totals[0], totals[1], width, totals[2], totals[3]);
        }
    }

    private static EncodedChunk encodeChunk(PairEncoder encoder, Chunk chunk, int width) {
        List<Example> examples = new ArrayList<>(chunk.source().size());
        long empty = 0;
        long tooLong = 0;
        long tokenCount = 0;
        for (int i = 0; i < chunk.source().size(); i++) {
            PairEncoder.Encoded e = encoder.encode(chunk.source().get(i), chunk.target().get(i));
            switch (e.outcome()) {
                case KEPT -> {
                    examples.add(e.example());
                    tokenCount += e.example().source().length + e.example().target().length;
                }
                case EMPTY -> empty++;
                case TOO_LONG -> tooLong++;
            }
        }
        ByteBuffer tokens = ByteBuffer.allocate((int) (tokenCount * width)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer lengths = ByteBuffer.allocate(4 * examples.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Example example : examples) {
            lengths.putChar((char) example.source().length).putChar((char) example.target().length);
            for (int[] side : List.of(example.source(), example.target())) {
                for (int id : side) {
                    if (width == 2) {
                        tokens.putChar((char) id);
                    } else {
                        tokens.putInt(id);
                    }
                }
            }
        }
        return new EncodedChunk(tokens.array(), lengths.array(), examples.size(), tokenCount, empty, tooLong);
    }

    // ---- chunked parallel passes ----

    private record Chunk(List<String> source, List<String> target) {
    }

    /**
     * Reads the training split on this thread, hands chunks of the selected pairs to a worker per
     * thread, and consumes the results in corpus order, with at most two chunks per worker in flight.
     *
     * @return pairs read
     */
    private <R> long run(String pass, LongPredicate select, Function<Chunk, R> work, Consumer<R> consume) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "prepare");
            thread.setDaemon(true);
            // A task's own failure reaches the reader through its Future; what arrives here is the pool's
            // bookkeeping failing once the heap ran out, which the reader reports in one line.
            thread.setUncaughtExceptionHandler((t, e) -> LOG.debug("preparation worker ended", e));
            return thread;
        });
        ArrayDeque<Future<R>> pending = new ArrayDeque<>();
        PreparationProgress progress = new PreparationProgress(pass);
        long index = 0;
        try (PairReader reader = new PairReader(config.train(), config.src(), config.trg())) {
            List<String> source = new ArrayList<>(CHUNK_PAIRS);
            List<String> target = new ArrayList<>(CHUNK_PAIRS);
            while (reader.next()) {
                if (select.test(index++)) {
                    source.add(reader.source());
                    target.add(reader.target());
                    if (source.size() == CHUNK_PAIRS) {
                        Chunk chunk = new Chunk(source, target);
                        pending.add(pool.submit(() -> work.apply(chunk)));
                        source = new ArrayList<>(CHUNK_PAIRS);
                        target = new ArrayList<>(CHUNK_PAIRS);
                        progress.update(index, reader.fractionRead());
                    }
                }
                while (pending.size() > 2 * threads) {
                    consume.accept(await(pending.poll()));
                }
            }
            if (!source.isEmpty()) {
                Chunk chunk = new Chunk(source, target);
                pending.add(pool.submit(() -> work.apply(chunk)));
            }
            while (!pending.isEmpty()) {
                consume.accept(await(pending.poll()));
            }
        } catch (IOException e) {
            throw new InputError(name + ": cannot close (" + e.getMessage() + ")");
        } finally {
            pool.shutdownNow();
        }
        progress.finish(index);
        return index;
    }

    private static <R> R await(Future<R> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the corpus", e);
        }
    }

    // ---- files ----

    /** Staging and replaced folders that a killed run left beside the target. */
    private static void removeLeftovers(Path target) throws IOException {
        String name = target.getFileName().toString();
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            for (Path p : siblings.toList()) {
                String sibling = p.getFileName().toString();
                if (sibling.startsWith(name + STAGING) || sibling.startsWith(name + REPLACED)) {
                    deleteQuietly(p);
                }
            }
        }
    }

    /** Puts the staging folder in the target's place; an older corpus there is removed only after. */
    private static void replace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), target.getFileName() + REPLACED);
            Files.delete(old);
            Files.move(target, old);
        }
        Files.move(staging, target);
        if (old != null) {
            deleteQuietly(old);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new InputError("cannot read " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> entries = Files.walk(dir)) {
            for (Path p : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
