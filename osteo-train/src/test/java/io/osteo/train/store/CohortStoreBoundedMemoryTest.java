package io.osteo.train.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming data path with a heap smaller than the cohort: a synthetic cohort whose texture
 * pools take about 2.5-3x the heap as float32 is stored and read back, every vertebra through
 * {@code PretrainingData} and {@code LabelledData} with a prefetching thread, in a forked JVM
 * with {@code -Xmx64m} ({@link BoundedMemoryRun}). The child reports its peak RSS and heap.
 */
class CohortStoreBoundedMemoryTest {

    // The bound is the Java heap (direct memory 512 MB). In this child JVM the training part
    // intermittently produced a non-finite stem-convolution gradient at one step (4 of about 10 runs,
    // with direct memory at 16 MB and at 512 MB; never in-process); the cause was not found. The
    // engine skips such a step (gradients zeroed, warning logged) and stops after 3 in a row.

    static final int HEAP_MB = 64;

    @TempDir
    Path tmp;

    @Test
    void aCohortLargerThanTheHeapIsBuiltStreamedAndTrainedOn() throws IOException, InterruptedException {
        Path cohort = tmp.resolve("cohort");
        Manifest manifest = SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(5).scale(0.0045)
                .patch(32, 1.5).threads(2).build().write(cohort);
        int rows = manifest.size();
        long float32 = (long) rows * 5 * 4 * 32 * 32 * 32;
        assertTrue(float32 > 5L * HEAP_MB * 1024 * 1024 / 2, rows + " vertebrae take " + float32 + " bytes as float32");

        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = tmp.resolve("child.txt");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC",
                "-XX:MaxDirectMemorySize=512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dai.djl.offline=true", "-cp", classPath,
                BoundedMemoryRun.class.getName(), cohort.resolve(SyntheticCohortGenerator.MANIFEST_FILE).toString(),
                tmp.resolve("store").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        boolean ended = p.waitFor(150, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(ended, "child JVM timed out:\n" + log);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + log);
        Map<String, Long> r = new HashMap<>();
        for (String line : log.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] parts = kv.split("=");
                    r.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        assertEquals(rows, r.get("rows"), log);
        assertTrue(r.get("maxHeap") <= (HEAP_MB + 8) * 1024L * 1024, "child heap " + r.get("maxHeap"));
        assertTrue(float32 > 5 * r.get("maxHeap") / 2, "the cohort is larger than the child's heap");
        long labelled = manifest.entries().stream().filter(e -> e.label() != null && e.bmd() != null).count();
        assertEquals(rows, r.get("pretrainSeen"), log);
        assertEquals(rows, r.get("slabSeen"), log);
        assertEquals(labelled, r.get("labelledSeen"), log);
        assertEquals(1, r.get("pretrainEpochs"), "SwAV trained one epoch from the store:\n" + log);
        assertEquals(1, r.get("finetuneEpochs"), "fine-tuning trained one epoch from the store:\n" + log);
        long data = rows * r.get("rowBytes");
        assertTrue(r.get("diskBytes") >= data && r.get("diskBytes") < data + data / 100 + (1 << 20), log);
        Files.writeString(Path.of("target", "cohort-store-bounded-memory.txt"), log, StandardCharsets.UTF_8);
        List.of(log.split("\n")).stream().filter(l -> l.startsWith("RESULT")).forEach(System.out::println);
    }
}
