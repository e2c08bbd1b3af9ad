package io.osteo.spark;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreenerIdentity;
import io.osteo.spark.executor.ModelBundle;
import io.osteo.spark.executor.ScreenPartition;
import io.osteo.spark.executor.ScreenerSettings;
import io.osteo.spark.input.StudyEntry;
import io.osteo.spark.input.StudyList;
import io.osteo.spark.output.OutputFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Screens a list of studies on Apache Spark (embedded {@code local[*]} by default, or any cluster
 * master) into an output folder ({@link OutputFolder}): reports, per-vertebra findings in
 * Parquet, errors. One screener per executor JVM; a bad study becomes a row of
 * {@code errors.csv} and the job goes on; a rerun on the same folder screens only the studies not
 * yet done, in chunks of {@link Builder#commitEvery} studies, each chunk committed before the next.
 *
 * <pre>{@code
 * BatchScreenSummary s = BatchScreening.builder().studies(Path.of("studies.csv")).out(Path.of("out"))
 *         .huThreshold(160).master("local[2]").build().run();
 * }</pre>
 *
 * <p>The JVM needs Spark's Java 17 options ({@link SparkJvm#options()}).
 */
public final class BatchScreening {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScreening.class);
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\s*\\d+)?])?");

    private final Builder b;

    private BatchScreening(Builder b) {
        this.b = b;
    }

    /** A builder; {@link Builder#studies}, {@link Builder#out} and a model or HU threshold are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the job and returns its summary ({@link BatchScreenSummary#exitCode()} says whether
     * some study failed).
     *
     * @throws InvalidInputException on a bad study list, model or output folder
     * @throws OsteoException if the job itself cannot run
     */
    public BatchScreenSummary run() {
        long start = System.nanoTime();
        boolean ownSession = b.session == null;
        SparkSession spark = ownSession ? startSpark() : b.session;
        try {
            return run(spark, start);
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    private BatchScreenSummary run(SparkSession spark, long start) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String master = spark.sparkContext().master();
        boolean local = master.startsWith("local");
        int workers = b.workersPerExecutor != null ? b.workersPerExecutor : taskSlotsPerExecutor(spark.sparkContext().getConf(), master);

        ModelBundle bundle = b.model == null ? null : ModelBundle.read(b.model);
        boolean ship = bundle != null && (b.shipModel != null ? b.shipModel : !local);
        ScreenerSettings settings = new ScreenerSettings(b.huThreshold, bundle == null ? null : bundle.name(),
                bundle == null ? null : bundle.sha256(), b.model == null ? null : b.model.toAbsolutePath().toString(),
                ship, b.device, b.operatingThreshold, b.reportDevice, workers);
        ScreenerIdentity identity;
        try (OsteoScreener check = settings.build(b.model)) { // a bad model or setting fails here, before any task
            identity = check.identity();
        }

        OutputFolder out = new OutputFolder(b.out);
        out.claim(settings.identity());
        List<StudyEntry> list = StudyList.read(spark, b.studies);
        Set<String> reported = out.reported(spark);
        Set<String> failedBefore = out.failed(spark);
        Set<String> withFindings = new HashSet<>(out.withFindings(spark));
        List<StudyEntry> pending = new ArrayList<>();
        long failedEarlier = 0;
        for (StudyEntry e : list) {
            if (reported.contains(e.studyId())) {
                continue;
            }
            if (failedBefore.contains(e.studyId())) {
                failedEarlier++;
                continue;
            }
            pending.add(e);
        }
        withFindings.removeAll(reported);
        long alreadyDone = list.size() - pending.size();
        LOG.info("{} studies listed, {} already done, {} to screen on {}", list.size(), alreadyDone, pending.size(), master);

        Broadcast<ModelBundle> shipped = ship ? jsc.broadcast(bundle) : null;
        ScreenPartition task = new ScreenPartition(settings, shipped);
        int parallelism = jsc.defaultParallelism();
        long screened = 0;
        long failed = 0;
        long screenStart = System.nanoTime();
        b.progress.started("batch-screen", pending.size());
        for (int from = 0; from < pending.size(); from += b.commitEvery) {
            List<StudyEntry> chunk = pending.subList(from, Math.min(pending.size(), from + b.commitEvery));
            int slices = Math.min(chunk.size(), Math.max(2 * parallelism, (chunk.size() + b.studiesPerTask - 1) / b.studiesPerTask));
            JavaRDD<Row> rows = jsc.parallelize(new ArrayList<>(chunk), slices).mapPartitions(task);
            Dataset<Row> results = spark.createDataFrame(rows, ScreenPartition.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Dataset<Row> good = results.where(functions.col("report").isNotNull());
                Dataset<Row> bad = results.where(functions.col("error").isNotNull());
                Row counts = results.agg(functions.count(functions.col("report")), functions.count(functions.col("error")))
                        .first(); // one job screens the chunk, cached for the writes below
                long ok = counts.getLong(0);
                long ko = counts.getLong(1);
                if (ok > 0) {
                    Dataset<Row> findings = good.select(functions.explode(functions.col("findings")).as("f")).select("f.*");
                    if (!withFindings.isEmpty()) {
                        findings = findings.where(functions.not(functions.col("study_id").isInCollection(withFindings)));
                    }
                    OutputFolder.append(findings, out.findings(), "parquet");
                    OutputFolder.append(good.select("report"), out.reports(), "text");
                }
                if (ko > 0) {
                    OutputFolder.append(bad.select("study_id", "error").coalesce(1), out.errors(), "csv"); // few: one file
                }
                screened += ok;
                failed += ko;
            } finally {
                results.unpersist();
            }
            b.progress.progressed("batch-screen", screened + failed, pending.size(), failed + " failed");
        }
        b.progress.finished("batch-screen", screened + " screened, " + failed + " failed");
        double screenSeconds = (System.nanoTime() - screenStart) / 1e9;
        double seconds = (System.nanoTime() - start) / 1e9;
        String who = identity.kind() + " " + identity.name() + " " + identity.version() + " " + identity.computeDevice();
        return new BatchScreenSummary(list.size(), screened, failed, alreadyDone, failedEarlier, seconds,
                pending.isEmpty() ? 0 : (screened + failed) / screenSeconds, screenSeconds, master, who,
                out.root().toString());
    }

    private SparkSession startSpark() {
        if (!SparkJvm.ready()) {
            throw new OsteoException("this JVM lacks the options Spark needs on Java 17; start it with "
                    + String.join(" ", SparkJvm.options()));
        }
        SparkConf conf = new SparkConf().setAppName("osteo batch-screen");
        if (b.master != null) {
            conf.setMaster(b.master);
        } else if (!conf.contains("spark.master")) { // spark-submit sets spark.master
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        bindLocalToLoopback(conf);
        for (Map.Entry<String, String> e : b.sparkConf.entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        try {
            return SparkSession.builder().config(conf).getOrCreate();
        } catch (RuntimeException e) {
            throw new OsteoException("Spark could not start with master " + conf.get("spark.master") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps an embedded ({@code local[...]}) Spark on the loopback interface: without it Spark binds
     * its driver to the host's first non-loopback address, so a single-machine run would listen on
     * (and talk to itself over) the network interface. Cluster masters are left alone.
     */
    public static void bindLocalToLoopback(SparkConf conf) {
        if (conf.get("spark.master", "").startsWith("local")) {
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
    }

    /** Tasks one executor runs at once: k of local[k], the cores of local[*], else spark.executor.cores (1). */
    static int taskSlotsPerExecutor(SparkConf conf, String master) {
        Matcher m = LOCAL.matcher(master.trim());
        int slots;
        if (m.matches()) {
            String k = m.group(1);
            slots = k == null ? 1 : k.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(k);
        } else {
            slots = conf.getInt("spark.executor.cores", 1) / Math.max(1, conf.getInt("spark.task.cpus", 1));
        }
        return Math.max(1, Math.min(64, slots));
    }

    /** Configuration of a batch screening run. Not thread-safe. */
    public static final class Builder {
        private Path studies;
        private Path out;
        private Path model;
        private Double huThreshold;
        private String master;
        private SparkSession session;
        private Integer workersPerExecutor;
        private String device = "auto";
        private Double operatingThreshold;
        private DxaDevice reportDevice = DxaDevice.HOLOGIC;
        private Boolean shipModel;
        private int commitEvery = 1000;
        private int studiesPerTask = 16;
        private final Map<String, String> sparkConf = new LinkedHashMap<>();
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        /** The study list: CSV with header {@code study_id,ct,seg,label_scheme,level,sex}, or Parquet. */
        public Builder studies(Path list) {
            this.studies = Objects.requireNonNull(list, "study list");
            return this;
        }

        /** The output folder (created; a rerun on it resumes). */
        public Builder out(Path folder) {
            this.out = Objects.requireNonNull(folder, "output folder");
            return this;
        }

        /** A packaged model directory (see {@link #shipModel} for how executors get it). */
        public Builder model(Path directory) {
            this.model = Objects.requireNonNull(directory, "model directory");
            return this;
        }

        /** The HU-threshold baseline instead of a model (no model needed). */
        public Builder huThreshold(double hu) {
            if (!Double.isFinite(hu)) {
                throw new InvalidInputException("HU threshold " + hu + " is not finite");
            }
            this.huThreshold = hu;
            return this;
        }

        /**
         * The Spark master ("local[*]", "local[2]", "spark://host:7077", "yarn"); default: the
         * {@code spark.master} that spark-submit set, else {@code local[*]}.
         */
        public Builder master(String master) {
            this.master = Objects.requireNonNull(master, "master");
            return this;
        }

        /** Runs in an existing session (not stopped afterwards) instead of starting one; master is then ignored. */
        public Builder session(SparkSession session) {
            this.session = Objects.requireNonNull(session, "session");
            return this;
        }

        /** Studies one executor's screener screens at once (model predictors); default: its task slots. */
        public Builder workersPerExecutor(int n) {
            if (n < 1 || n > 64) {
                throw new InvalidInputException("workers per executor " + n + " is outside 1..64");
            }
            this.workersPerExecutor = n;
            return this;
        }

        /** Compute device of the model: auto, cpu, gpu0, ... (default auto). */
        public Builder device(String device) {
            OsteoScreener.builder().device(device); // validates
            this.device = device.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /** Probability threshold of the model (default: the model's own). */
        public Builder operatingThreshold(double p) {
            OsteoScreener.builder().operatingThreshold(p); // validates
            this.operatingThreshold = p;
            return this;
        }

        /** DXA scale of the BMD and T-score estimates (default HOLOGIC). */
        public Builder reportDevice(DxaDevice device) {
            OsteoScreener.builder().reportDevice(device); // validates
            this.reportDevice = device;
            return this;
        }

        /**
         * True: the driver reads the model directory and broadcasts it, and each executor writes a
         * copy under its {@code java.io.tmpdir} (works on any cluster); false: executors read the
         * driver's path (a file system every node mounts). Default: ship unless the master is local.
         */
        public Builder shipModel(boolean ship) {
            this.shipModel = ship;
            return this;
        }

        /** Studies screened and committed per round (default 1000): a killed run loses at most one round. */
        public Builder commitEvery(int studies) {
            if (studies < 1) {
                throw new InvalidInputException("commit-every " + studies + " must be at least 1");
            }
            this.commitEvery = studies;
            return this;
        }

        /** Target studies per Spark task (default 16; at least two tasks per core are made). */
        public Builder studiesPerTask(int studies) {
            if (studies < 1) {
                throw new InvalidInputException("studies per task " + studies + " must be at least 1");
            }
            this.studiesPerTask = studies;
            return this;
        }

        /** Any Spark setting, applied when this run starts its own session. */
        public Builder sparkConf(String key, String value) {
            sparkConf.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Receives the progress of the run (studies done of those to screen), on the driver. */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "progress");
            return this;
        }

        /**
         * Checks the settings.
         *
         * @throws InvalidInputException when the list, the output or the screener is missing or contradictory
         */
        public BatchScreening build() {
            if (studies == null) {
                throw new InvalidInputException("no study list: set studies(csv)");
            }
            if (out == null) {
                throw new InvalidInputException("no output folder: set out(dir)");
            }
            if ((model == null) == (huThreshold == null)) {
                throw new InvalidInputException(model == null ? "no model and no HU threshold: set model(dir) or huThreshold(hu)"
                        : "choose either a model or an HU threshold, not both");
            }
            if (huThreshold != null && operatingThreshold != null) {
                throw new InvalidInputException("an operating (probability) threshold applies to a model, not to the HU baseline");
            }
            return new BatchScreening(this);
        }
    }
}
