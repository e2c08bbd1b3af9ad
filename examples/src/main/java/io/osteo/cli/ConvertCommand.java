package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.io.dicom.DicomSeries;
import io.osteo.api.io.dicom.DicomSeriesReader;
import io.osteo.api.io.dicom.DicomVolume;
import io.osteo.api.io.dicom.SeriesSelection;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo convert}: reads any supported CT input (a DICOM series above all, or NIfTI/NRRD)
 * and writes {@code .nii.gz} with its geometry; prints a JSON summary (size, spacing, series
 * chosen, HU range) on stdout. Integral HU within int16 are written as int16, anything else as
 * float32.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        header = "Converts a CT (DICOM, NIfTI, NRRD) to .nii.gz.",
        description = {"Reads a CT (a DICOM series: a folder or one of its files; or .nii, .nii.gz, .nrrd) and",
            "writes it as NIfTI with its grid (spacing, origin, directions). Prints a JSON summary."},
        footer = {"", "Examples:",
            "  osteo convert --input dicom/ --out ct.nii.gz",
            "  osteo convert --input dicom/ --out ct.nii.gz --series 1.2.840.113619.2.55.3.1234",
            "  osteo convert --input dicom/ --out ct.nii.gz --largest-axial-ct"})
public final class ConvertCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "DICOM folder or file of the series, or .nii/.nii.gz/.nrrd")
    private Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "output .nii.gz (or .nii)")
    private Path out;

    @Option(names = "--series", paramLabel = "UID",
            description = "SeriesInstanceUID to read when the folder holds several series")
    private String series;

    @Option(names = "--largest-axial-ct",
            description = "when the folder holds several series and no --series is given, take the axial CT series"
                    + " with the most slices")
    private boolean largestAxialCt;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String name = String.valueOf(out.getFileName()).toLowerCase(Locale.ROOT);
            if (!name.endsWith(".nii.gz") && !name.endsWith(".nii")) {
                throw new InvalidInputException("--out " + out + ": must end in .nii.gz or .nii");
            }
            if (Files.isDirectory(out)) {
                throw new InvalidInputException("--out " + out + ": is a folder, a .nii.gz file is expected");
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(input)) {
                throw new InvalidInputException("--input " + input + ": no such file or folder");
            }
            long t0 = System.nanoTime();
            Volume volume;
            DicomSeries chosen = null;
            List<String> notes = List.of();
            boolean dicom = VolumeIo.isDicom(input);
            if (dicom) {
                err.println("reading DICOM " + input);
                err.flush();
                DicomVolume dv = DicomSeriesReader.builder().seriesUid(series)
                        .selection(largestAxialCt ? SeriesSelection.LARGEST_AXIAL_CT : SeriesSelection.SINGLE)
                        .progress(CliSupport.stderrProgress(err)).build().readSeries(input);
                volume = dv.volume();
                chosen = dv.series();
                notes = dv.notes();
            } else {
                if (series != null) {
                    throw new InvalidInputException("--series " + series + ": " + input + " is not DICOM");
                }
                volume = VolumeIo.readVolume(input);
            }
            volume.requireFinite("CT " + input);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            boolean integral = true;
            for (int i = 0; i < volume.geometry().voxelCount(); i++) {
                float v = volume.get(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
                integral &= v == Math.rint(v);
            }
            boolean int16 = integral && min >= Short.MIN_VALUE && max <= Short.MAX_VALUE;
            if (int16) {
                VolumeIo.writeNiftiInt16(volume, out);
            } else {
                VolumeIo.writeNifti(volume, out);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            ImageGeometry g = volume.geometry();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("input", input.toString());
            json.put("output", out.toString());
            json.put("format", dicom ? "dicom" : "volume file");
            json.put("size", new int[] {g.nx(), g.ny(), g.nz()});
            json.put("spacing", round(g.spacing()));
            json.put("origin", round(g.origin()));
            json.put("direction", round(g.direction()));
            if (chosen != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("seriesInstanceUid", chosen.seriesInstanceUid());
                s.put("seriesNumber", chosen.seriesNumber());
                s.put("description", chosen.description());
                s.put("modality", chosen.modality());
                s.put("slices", chosen.sliceCount());
                s.put("orientation", chosen.orientation());
                s.put("transferSyntax", chosen.transferSyntax().uid());
                json.put("series", s);
            }
            Map<String, Object> hu = new LinkedHashMap<>();
            hu.put("min", min);
            hu.put("max", max);
            json.put("hu", hu);
            json.put("datatype", int16 ? "int16" : "float32");
            json.put("notes", notes);
            json.put("seconds", Math.round(seconds * 1000) / 1000.0);
            CliSupport.printJson(stdout, json);
            return 0;
        } catch (OsteoException e) {
            err.println("osteo convert: " + e.getMessage().replace('\n', ' '));
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("osteo convert: cannot create the folder of --out " + out + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1e6) / 1e6 + 0.0;
        }
        return r;
    }
}
