package io.osteo.model.device;

import io.osteo.api.InvalidInputException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The libtorch thread policy of the SDK: how many intra-op threads the PyTorch engine uses (one
 * inter-op thread; the SDK runs no concurrent graph branches). DJL reads the system properties
 * {@value #INTRA_OP_PROPERTY} and {@value #INTER_OP_PROPERTY} once, when the engine starts, so
 * {@link #configure} must run before the first DJL call of the process (an embedding application
 * calls it at start-up, or passes the two {@code -D} options to the JVM).
 *
 * <p>Precedence of {@link #resolve}: an explicit count (the CLI's {@code --threads}) over a {@code
 * -Dai.djl.pytorch.num_threads} already given to the JVM, over the environment variable {@value
 * #ENV}, over the default: all available processors. Measured on 2-vCPU machines: libtorch may
 * start with one thread, and two threads made a training step 1.5-1.9x faster; when other
 * processes compete for the cores, also set {@code OMP_WAIT_POLICY=PASSIVE} (the {@code osteo}
 * launcher does) or the idle OpenMP workers spin and slow the step several-fold.
 *
 * <p>Stateless; {@link #configure} writes JVM-wide system properties.
 */
public final class TorchThreads {

    /** DJL's intra-op thread property. */
    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";
    /** DJL's inter-op thread property. */
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";
    /** Environment variable with the intra-op thread count. */
    public static final String ENV = "OSTEO_THREADS";

    private TorchThreads() {}

    /**
     * The intra-op thread count to use.
     *
     * @param explicit a count given by the caller (e.g. {@code --threads}), or empty
     * @param env the process environment ({@code System.getenv()})
     * @throws InvalidInputException if a given count is not a positive integer
     */
    public static int resolve(OptionalInt explicit, Map<String, String> env) {
        if (explicit.isPresent()) {
            return check(explicit.getAsInt(), "--threads");
        }
        String property = System.getProperty(INTRA_OP_PROPERTY);
        if (property != null && !property.isBlank()) {
            return parse(property, "-D" + INTRA_OP_PROPERTY);
        }
        String value = env.get(ENV);
        if (value != null && !value.isBlank()) {
            return parse(value, ENV);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Sets DJL's thread properties ({@code threads} intra-op, 1 inter-op unless already given);
     * effective only before the PyTorch engine starts.
     *
     * @return {@code threads}
     */
    public static int configure(int threads) {
        check(threads, "thread count");
        System.setProperty(INTRA_OP_PROPERTY, Integer.toString(threads));
        if (System.getProperty(INTER_OP_PROPERTY) == null) {
            System.setProperty(INTER_OP_PROPERTY, "1");
        }
        return threads;
    }

    private static int parse(String value, String source) {
        try {
            return check(Integer.parseInt(value.trim()), source);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source + " must be a positive integer (libtorch threads), got '" + value + "'");
        }
    }

    private static int check(int threads, String source) {
        if (threads < 1) {
            throw new InvalidInputException(source + " must be a positive integer (libtorch threads), got " + threads);
        }
        return threads;
    }
}
