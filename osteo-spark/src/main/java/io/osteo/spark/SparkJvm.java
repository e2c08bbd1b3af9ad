package io.osteo.spark;

import io.osteo.api.OsteoException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The JVM options Spark needs on Java 17 ({@code --add-opens} of JDK internals, exactly the list
 * Spark's own launcher adds, from {@link JavaModuleOptions}), a check whether this JVM has them,
 * and a relaunch of a main class in a child JVM that has them (for a command line started without
 * them: the child gets this JVM's class path, options and arguments, and shares its stdin/stdout/stderr).
 */
public final class SparkJvm {

    private SparkJvm() {}

    /** Spark's Java 17 module options, one per element. */
    public static List<String> options() {
        return List.of(JavaModuleOptions.defaultModuleOptionArray());
    }

    /** True when this JVM opens the JDK packages Spark reaches into ({@code sun.nio.ch}, {@code java.nio}). */
    public static boolean ready() {
        Module base = Object.class.getModule();
        Module unnamed = SparkJvm.class.getClassLoader().getUnnamedModule();
        return base.isOpen("sun.nio.ch", unnamed) && base.isOpen("java.nio", unnamed)
                && base.isOpen("java.lang.invoke", unnamed) && base.isOpen("java.util", unnamed);
    }

    /** The command that runs {@code mainClass} with {@code args} in a JVM like this one plus {@link #options()}. */
    public static List<String> relaunchCommand(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /**
     * Runs {@code mainClass} in a child JVM with Spark's options (see {@link #relaunchCommand}) and
     * returns its exit status.
     *
     * @throws OsteoException if the child cannot be started
     */
    public static int relaunch(String mainClass, String... args) {
        try {
            ProcessBuilder pb = new ProcessBuilder(relaunchCommand(mainClass, args)).inheritIO();
            // embedded Spark listens on the loopback interface unless the caller chose an address
            pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
            Process p = pb.start();
            return p.waitFor();
        } catch (IOException e) {
            throw new OsteoException("could not start a JVM for Spark: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("interrupted while the Spark JVM ran", e);
        }
    }
}
