package nmt.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.Version;
import nmt.config.DecodingOverrides;
import nmt.eval.Bleu;
import nmt.eval.BleuScore;
import nmt.eval.BleuTokenizer;
import nmt.eval.ChrF;
import nmt.modeldir.ModelDirectory;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Translates a corpus on Spark: each executor loads the model once and translates its partitions
 * with the search {@code nmt translate} runs; every output row keeps its input's key (line number
 * or id), and Spark's output commit keeps a retried task from writing twice.
 */
@Command(name = "nmt-spark", mixinStandardHelpOptions = true,
        description = "Translate a corpus on Apache Spark with a model directory written by nmt train.")
public final class TranslateJob implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "The model directory: a path every executor reads, or shipped with --archives/--files; "
                    + "repeat it to decode with an ensemble, as nmt translate does.")
    List<String> models;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Any path Spark reads.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "A directory that must not exist.")
    String output;

    @Option(names = "--format", defaultValue = "text",
            description = "Input: text (a sentence a line, keyed by line number), tsv (with a header) or parquet "
                    + "(default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output-format",
            description = "tsv (key, source, translation, ...), parquet, or text (the translations alone, in input "
                    + "order, in one file); default: parquet for parquet input, else tsv.")
    String outputFormat;

    @Option(names = "--id-column", defaultValue = "id", description = "tsv/parquet: the key column (default ${DEFAULT-VALUE}).")
    String idColumn;

    @Option(names = "--src-column", defaultValue = "source",
            description = "tsv/parquet: the source column (default ${DEFAULT-VALUE}).")
    String sourceColumn;

    @Option(names = "--ref-column",
            description = "tsv/parquet: references; the job then prints corpus BLEU and chrF2 of the translations.")
    String referenceColumn;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu or gpu (default: the model's config).")
    String device;

    @Option(names = "--beam", paramLabel = "K", description = "Beam size (default: the model's decoding.beam_size).")
    Integer beam;

    @Option(names = "--batch-size", paramLabel = "B", description = "Sentences decoded together.")
    Integer batchSize;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the model's config.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions.")
    Integer partitions;

    @Option(names = "--master", description = "Spark master, e.g. local[2] (default: what spark-submit sets).")
    String master;

    private final PrintWriter out;

    TranslateJob(PrintWriter out) {
        this.out = out;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Runs the job; 1 for bad input (one line on err), 2 for bad usage. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TranslateJob(out)).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e;
            while (!(cause instanceof InputError) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            commandLine.getErr().println("error: " + (cause instanceof InputError ? cause.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        JobSettings settings = settings();
        checkModel(settings);
        String written = outputFormat != null ? outputFormat : "parquet".equals(format) ? "parquet" : "tsv";
        if (!List.of("text", "tsv", "parquet").contains(format) || !List.of("text", "tsv", "parquet").contains(written)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--format and --output-format take text, tsv or parquet");
        }
        if ("text".equals(format) && referenceColumn != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--ref-column needs tsv or parquet input");
        }
        SparkSession.Builder builder = SparkSession.builder().appName("nmt translate");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            checkPaths(spark);
            long start = System.nanoTime();
            Dataset<Row> rows = read(spark);
            if (partitions != null) {
                rows = rows.repartition(partitions);
            }
            String key = rows.columns()[0];
            StructType schema = rows.schema();
            List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
            fields.add(2, DataTypes.createStructField("translation", DataTypes.StringType, false));
            Dataset<Row> translated = rows.mapPartitions(new PartitionTranslator(settings, 1),
                    Encoders.row(DataTypes.createStructType(fields))).persist();
            write(translated, key, written);
            long count = translated.count();
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "translated %d lines in %.1f s (%.1f lines/s) into %s%n", count, seconds,
                    count / seconds, output);
            if (referenceColumn != null) {
                score(translated, key);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private JobSettings settings() {
        return new JobSettings(models, new DecodingOverrides(beam, batchSize, device, sets).asSettings());
    }

    /** The models, their configs with the overrides and an ensemble's fit are checked before any executor starts. */
    private static void checkModel(JobSettings settings) {
        ModelDirectory.check(settings.models().stream().map(Path::of).toList(), settings.overrides());
    }

    private void checkPaths(SparkSession spark) throws IOException {
        org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(input);
        FileSystem fs = in.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(in)) {
            throw new InputError("input " + input + " not found");
        }
        org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(output);
        if (to.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(to)) {
            throw new InputError("output " + output + " already exists: choose another path (nothing is overwritten)");
        }
    }

    /** Rows of (key, source[, reference]). */
    private Dataset<Row> read(SparkSession spark) {
        if ("text".equals(format)) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<Row> lines = sc.textFile(input).zipWithIndex()
                    .map(t -> RowFactory.create(t._2() + 1, t._1()));
            return spark.createDataFrame(lines, DataTypes.createStructType(List.of(
                    DataTypes.createStructField("line", DataTypes.LongType, false),
                    DataTypes.createStructField("source", DataTypes.StringType, true))));
        }
        Dataset<Row> table = "tsv".equals(format)
                ? spark.read().option("sep", "\t").option("header", "true").csv(input)
                : spark.read().parquet(input);
        List<String> columns = new ArrayList<>(List.of(idColumn, sourceColumn));
        if (referenceColumn != null) {
            columns.add(referenceColumn);
        }
        for (String column : columns) {
            if (!Arrays.asList(table.columns()).contains(column)) {
                throw new InputError("input " + input + " has no column " + column + " (it has "
                        + String.join(", ", table.columns()) + ")");
            }
        }
        return table.selectExpr(columns.stream().map(c -> "`" + c + "`").toArray(String[]::new));
    }

    private void write(Dataset<Row> translated, String key, String written) {
        switch (written) {
            case "parquet" -> translated.write().parquet(output);
            case "text" -> translated.repartition(1).sortWithinPartitions(key).select("translation").write()
                    .text(output);
            default -> translated.write().option("sep", "\t").option("header", "true").csv(output);
        }
    }

    private void score(Dataset<Row> translated, String key) {
        List<Row> pairs = translated.orderBy(key).select("translation", referenceColumn).collectAsList();
        List<String> hypotheses = new ArrayList<>(pairs.size());
        List<String> references = new ArrayList<>(pairs.size());
        for (Row r : pairs) {
            hypotheses.add(r.getString(0));
            references.add(r.isNullAt(1) ? "" : r.getString(1));
        }
        BleuScore bleu = new Bleu(BleuTokenizer.THIRTEEN_A, false, Version.signatureTag())
                .corpusScore(hypotheses, List.of(references));
        out.println(bleu.format());
        out.println(bleu.signature());
        out.println(new ChrF(false, Version.signatureTag()).corpusScore(hypotheses, List.of(references)).format());
    }
}
