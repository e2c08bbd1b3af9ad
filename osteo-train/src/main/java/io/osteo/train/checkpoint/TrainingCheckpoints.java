package io.osteo.train.checkpoint;

import io.osteo.model.optim.DecoupledAdamW;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.osteo.api.OsteoException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of per-epoch checkpoints: {@code epoch-NNNN/} with {@code params.bin} (the block's
 * parameters, DJL format, including BatchNorm running statistics), {@code optimizer.bin} ({@link
 * DecoupledAdamW} state) and {@code state.json} (the trainer's own progress: epoch, history, best
 * model so far, and a fingerprint of the configuration so that a resume with other settings is
 * refused). Each checkpoint is written to a temporary directory and renamed, so a crash never
 * leaves a half-written checkpoint that looks complete. Not thread-safe.
 */
public final class TrainingCheckpoints {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    private final Path directory;

    public TrainingCheckpoints(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Writes the checkpoint of a finished epoch (1-based) and returns its directory. */
    public Path save(int epoch, Block block, DecoupledAdamW optimizer, JsonObject state) {
        Path target = directory.resolve(String.format("epoch-%04d", epoch));
        Path tmp = directory.resolve(String.format("epoch-%04d.tmp", epoch));
        try {
            Files.createDirectories(directory);
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve("params.bin"))))) {
                writeParameters(out, block);
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve("optimizer.bin"))))) {
                optimizer.writeState(out);
            }
            JsonObject s = state.deepCopy();
            s.addProperty("epoch", epoch);
            Files.writeString(tmp.resolve("state.json"), GSON.toJson(s), StandardCharsets.UTF_8);
            deleteRecursively(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new OsteoException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** The last complete checkpoint, if any. */
    public Optional<Path> latest() {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{4}"))
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new OsteoException("cannot list checkpoints in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Reads the trainer state of a checkpoint. */
    public static JsonObject readState(Path checkpoint) {
        try {
            return GSON.fromJson(Files.readString(checkpoint.resolve("state.json"), StandardCharsets.UTF_8), JsonObject.class);
        } catch (IOException | RuntimeException e) {
            throw new OsteoException("cannot read checkpoint state " + checkpoint.resolve("state.json") + ": " + e.getMessage(), e);
        }
    }

    /** Loads parameters and optimiser state of a checkpoint into an initialised block and its optimiser. */
    public static void restore(Path checkpoint, Block block, NDManager manager, DecoupledAdamW optimizer) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(checkpoint.resolve("params.bin"))))) {
            readParameters(in, block, checkpoint.resolve("params.bin"));
        } catch (IOException e) {
            throw new OsteoException("cannot load parameters of checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(checkpoint.resolve("optimizer.bin"))))) {
            optimizer.readState(in, manager);
        } catch (IOException e) {
            throw new OsteoException("cannot load optimiser state of checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** Loads only the parameters of a checkpoint file {@code params.bin} into an initialised block. */
    public static void loadParameters(Path paramsFile, Block block, NDManager manager) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(paramsFile)))) {
            readParameters(in, block, paramsFile);
        } catch (IOException e) {
            throw new OsteoException("cannot load parameters " + paramsFile + ": " + e.getMessage(), e);
        }
    }

    /** Saves only the parameters of a block. */
    public static void saveParameters(Path paramsFile, Block block) {
        try {
            Files.createDirectories(paramsFile.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(paramsFile)))) {
                writeParameters(out, block);
            }
        } catch (IOException e) {
            throw new OsteoException("cannot save parameters " + paramsFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes every parameter as (hierarchical name, shape, float32 values). Unlike DJL's
     * {@code Block.saveParameters}/{@code loadParameters}, reading copies values into the existing
     * arrays, so a block inside a live trainer keeps its gradient attachments.
     */
    private static void writeParameters(DataOutputStream out, Block block) throws IOException {
        ai.djl.nn.ParameterList params = block.getParameters();
        out.writeInt(PARAMS_FORMAT);
        out.writeInt(params.size());
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : params) {
            ai.djl.ndarray.NDArray a = p.getValue().getArray();
            out.writeUTF(p.getKey());
            long[] shape = a.getShape().getShape();
            out.writeInt(shape.length);
            for (long d : shape) out.writeLong(d);
            float[] v = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            out.writeInt(v.length);
            for (float f : v) out.writeFloat(f);
        }
    }

    private static void readParameters(DataInputStream in, Block block, Path file) throws IOException {
        ai.djl.nn.ParameterList params = block.getParameters();
        if (in.readInt() != PARAMS_FORMAT) {
            throw new OsteoException("parameter file " + file + " has an unknown format");
        }
        int n = in.readInt();
        if (n != params.size()) {
            throw new OsteoException("parameter file " + file + " holds " + n + " parameters, the network has " + params.size());
        }
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : params) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            for (int i = 0; i < shape.length; i++) shape[i] = in.readLong();
            float[] v = new float[in.readInt()];
            for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
            ai.djl.ndarray.NDArray target = p.getValue().getArray();
            if (!name.equals(p.getKey()) || !target.getShape().equals(new ai.djl.ndarray.types.Shape(shape))) {
                throw new OsteoException("parameter file " + file + " has " + name + " " + java.util.Arrays.toString(shape)
                        + " where the network has " + p.getKey() + " " + target.getShape());
            }
            target.set(v);
        }
    }

    private static final int PARAMS_FORMAT = 1;

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
