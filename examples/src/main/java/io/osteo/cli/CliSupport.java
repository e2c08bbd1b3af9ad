package io.osteo.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
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

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

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

    static void printJson(PrintWriter out, Object value) {
        out.println(GSON.toJson(value));
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
