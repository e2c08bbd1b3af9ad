package io.osteo.cli;

import com.google.gson.Gson;
import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import io.osteo.train.pipeline.TrainingPipeline;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import io.osteo.api.InvalidInputException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared plumbing of the subcommands: JSON output, reading inputs, progress on stderr. */
final class CliSupport {

    /** Pretty JSON with every digit (feature values, conformance). */
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    /** Pretty JSON with doubles to 6 significant digits: training statistics (float32 numbers carry no more). */
    static final Gson ROUNDED = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().registerTypeAdapter(Double.class, (JsonSerializer<Double>) (value, type, context) ->
                    value.isNaN() || value.isInfinite() ? new JsonPrimitive(value)
                            : new JsonPrimitive(new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros()))
            .create();

    private CliSupport() {}

    static Volume readImage(Path file, String option) {
        if (!(Files.isDirectory(file) && VolumeIo.isDicom(file))) { // a DICOM series may be a folder
            requireFile(file, option);
        }
        return VolumeIo.readVolume(file).requireFinite("image " + file);
    }

    static LabelMap readMask(Path file, Volume image, String option) {
        requireFile(file, option);
        LabelMap labels = VolumeIo.readLabels(file);
        if (!image.geometry().sameGrid(labels.geometry(), VolumeIo.GRID_TOLERANCE)) {
            throw new InvalidInputException("mask " + file + " (" + labels.geometry() + ") is not on the image grid ("
                    + image.geometry() + ")");
        }
        return labels;
    }

    static boolean[] roi(LabelMap labels, int label, Path file) {
        boolean[] mask = labels.mask(label);
        for (boolean b : mask) {
            if (b) {
                return mask;
            }
        }
        throw new InvalidInputException("mask " + file + " has no voxel with label " + label + "; labels present: "
                + java.util.Arrays.toString(labels.presentLabels()));
    }

    static void requireFile(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(option + " " + file + ": no such file");
        }
    }

    /** Devices by their short names ("cpu", "gpu0"), not DJL's "cpu()". */
    static List<String> deviceNames(TrainingPipeline pipeline) {
        return Arrays.stream(pipeline.devices()).map(CliSupport::deviceName).toList();
    }

    static String deviceName(Device device) {
        return device.isGpu() ? "gpu" + device.getDeviceId() : device.getDeviceType();
    }

    /** Seconds since {@code startNanos}, to 0.1 s. */
    static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }

    /** {@code value} rounded to {@code digits} decimals (NaN stays NaN). */
    static double round(double value, int digits) {
        if (!Double.isFinite(value)) return value;
        double f = Math.pow(10, digits);
        return Math.round(value * f) / f;
    }

    static void printJson(PrintWriter out, Object value) {
        out.println(GSON.toJson(value));
        out.flush();
    }

    /** Training and evaluation results: doubles to 6 significant digits. */
    static void printRoundedJson(PrintWriter out, Object value) {
        out.println(ROUNDED.toJson(value));
        out.flush();
    }

    /** Progress lines on stderr ("texture pool: 3/8"), at most one per percent. */
    static ProgressListener stderrProgress(PrintWriter err) {
        return new ProgressListener() {
            private long lastPercent = -1;

            @Override
            public synchronized void progressed(String task, long done, long total, String message) {
                long percent = total > 0 ? done * 100 / total : -1;
                if (percent != lastPercent) {
                    lastPercent = percent;
                    err.println(task + ": " + done + "/" + total + (message.isEmpty() ? "" : " " + message));
                    err.flush();
                }
            }
        };
    }
}
