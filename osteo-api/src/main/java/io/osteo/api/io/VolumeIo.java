package io.osteo.api.io;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes CT volumes and label maps: NIfTI-1 ({@code .nii}, {@code .nii.gz}) and NRRD
 * ({@code .nrrd}, or a {@code .nhdr} header with one detached data file); CT volumes also from a
 * DICOM series (a folder, or one {@code .dcm} file of the series: see
 * {@link io.osteo.api.io.dicom.DicomSeriesReader}); writing is NIfTI-1 only. The format is chosen by the file extension and verified
 * against the content (magic bytes, gzip signature). Geometry is always returned in LPS
 * millimetres, as ITK and SimpleITK report it: NIfTI's RAS affine is converted on read and back on
 * write; NRRD spaces RAS and LAS are converted to LPS.
 *
 * <p>Every problem with a file (missing, truncated, wrong magic, unsupported datatype, header
 * inconsistent with itself or with the file length, non-integral labels) is a
 * {@link VolumeFormatException} that names the file. Sizes claimed by a header are checked against
 * the file length (or, for gzip, against the data actually decompressed) before large buffers are
 * allocated.
 *
 * <p>Stateless and thread-safe.
 */
public final class VolumeIo {
    /** Largest mismatch (mm for spacing and origin, unitless for directions) {@link #requireSameGrid} accepts. */
    public static final double GRID_TOLERANCE = 1e-4;

    private VolumeIo() {
    }

    /**
     * Reads a scalar image as float intensities (NIfTI scl_slope/scl_inter applied; HU for CT).
     * Float files may hold NaN or infinite voxels; callers that need finite CT use
     * {@link Volume#requireFinite(String)}.
     *
     * <p>A folder, a {@code .dcm}/{@code .dicom}/{@code .ima} file, or a file without a known
     * extension whose content is DICOM is read as a DICOM series with the default
     * {@link io.osteo.api.io.dicom.DicomSeriesReader} (exactly one image series; rescaled to HU);
     * to choose among several series, use that reader's builder.
     */
    public static Volume readVolume(Path file) {
        if (isDicom(file)) {
            return io.osteo.api.io.dicom.DicomSeriesReader.builder().build().read(file);
        }
        return read(file).toVolume();
    }

    /**
     * True when {@link #readVolume(Path)} reads {@code path} as DICOM: a folder, a {@code .dcm},
     * {@code .dicom} or {@code .ima} file, or a file that starts like DICOM; never a path with a
     * NIfTI/NRRD extension.
     */
    public static boolean isDicom(Path path) {
        if (path == null) {
            return false;
        }
        String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".nii") || name.endsWith(".nii.gz") || name.endsWith(".nrrd") || name.endsWith(".nhdr")) {
            return false; // the extension decides, even for a folder so named
        }
        if (Files.isDirectory(path) || name.endsWith(".dcm") || name.endsWith(".dicom") || name.endsWith(".ima")) {
            return true;
        }
        return io.osteo.api.io.dicom.DicomSeriesReader.isDicom(path);
    }

    /**
     * Reads a label image. Integer data becomes labels as it is; floating-point data is accepted
     * when every voxel is integral, otherwise a {@link VolumeFormatException} names the first
     * non-integral voxel. A label map holds at most {@value #MAX_DISTINCT_LABELS} distinct labels:
     * an image with more (a CT passed as the label map, say) is refused with a
     * {@link VolumeFormatException} saying so.
     */
    public static LabelMap readLabels(Path file) {
        LabelMap labels = read(file).toLabels();
        int min = Integer.MAX_VALUE;
        java.util.BitSet seen = new java.util.BitSet(65536);
        java.util.Set<Integer> large = new java.util.HashSet<>();
        int distinct = 0;
        int total = labels.geometry().voxelCount();
        for (int i = 0; i < total; i++) {
            int v = labels.get(i);
            min = Math.min(min, v);
            if (v >= 0 && v < 65536) {
                if (!seen.get(v)) {
                    seen.set(v);
                    distinct++;
                }
            } else if ((v < 0 || v >= 65536) && large.size() <= MAX_DISTINCT_LABELS && large.add(v)) {
                distinct++;
            }
        }
        if (distinct > MAX_DISTINCT_LABELS) {
            throw new VolumeFormatException(file, "is not a label map: it holds more than " + MAX_DISTINCT_LABELS
                    + " distinct values (from " + min + "); a segmentation has few integer labels. Was a CT passed as"
                    + " the label map?");
        }
        return labels;
    }

    /** Most distinct values a label map may hold (TotalSegmentator has 118 including background). */
    public static final int MAX_DISTINCT_LABELS = 1000;

    /**
     * Writes {@code volume} as float32 NIfTI-1 ({@code .nii}, or gzip-compressed {@code .nii.gz}),
     * with sform and qform describing its grid (converted from LPS to NIfTI's RAS).
     */
    public static void writeNifti(Volume volume, Path file) {
        requireWritable(volume == null ? null : volume.geometry(), file);
        NiftiWriter.write(file, volume.geometry(), VoxelType.FLOAT32, volume::get);
    }

    /**
     * Writes {@code volume} as int16 NIfTI-1 (the usual CT storage), rounding every voxel to the
     * nearest integer. A voxel that is not finite or rounds outside -32768..32767 is an
     * {@link InvalidInputException} naming the voxel; nothing is clamped silently and no file is
     * written.
     */
    public static void writeNiftiInt16(Volume volume, Path file) {
        requireWritable(volume == null ? null : volume.geometry(), file);
        ImageGeometry g = volume.geometry();
        for (int i = 0; i < g.voxelCount(); i++) {
            float v = volume.get(i);
            double r = Math.rint(v);
            if (!(r >= Short.MIN_VALUE && r <= Short.MAX_VALUE)) {
                throw new InvalidInputException("cannot write " + file + " as int16: voxel (" + i % g.nx() + ", "
                        + (i / g.nx()) % g.ny() + ", " + i / (g.nx() * g.ny()) + ") = " + v
                        + " is outside -32768..32767 or not finite");
            }
        }
        NiftiWriter.write(file, g, VoxelType.INT16, i -> Math.rint(volume.get(i)));
    }

    /**
     * Writes {@code labels} as integer NIfTI-1: int16 when every label fits, else int32. Reading it
     * back with {@link #readLabels(Path)} gives the same labels and grid.
     */
    public static void writeNifti(LabelMap labels, Path file) {
        requireWritable(labels == null ? null : labels.geometry(), file);
        ImageGeometry g = labels.geometry();
        boolean fitsShort = true;
        for (int i = 0; i < g.voxelCount() && fitsShort; i++) {
            int v = labels.get(i);
            fitsShort = v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
        }
        NiftiWriter.write(file, g, fitsShort ? VoxelType.INT16 : VoxelType.INT32, labels::get);
    }

    private static void requireWritable(ImageGeometry g, Path file) {
        if (g == null || file == null) {
            throw new InvalidInputException("writing NIfTI needs an image and a file path");
        }
        if (g.nx() > Short.MAX_VALUE || g.ny() > Short.MAX_VALUE || g.nz() > Short.MAX_VALUE) {
            throw new VolumeFormatException(file, "NIfTI-1 cannot store image size " + g.nx() + "x" + g.ny() + "x"
                    + g.nz() + " (at most 32767 per axis)");
        }
    }

    /**
     * Fails with an {@link InvalidInputException} naming both inputs when {@code labels} is not on
     * the grid of {@code image} (size, spacing, origin, directions within {@link #GRID_TOLERANCE}).
     */
    public static void requireSameGrid(Volume image, LabelMap labels, String imageName, String labelsName) {
        requireSameGrid(image.geometry(), labels.geometry(), imageName, labelsName);
    }

    /** As {@link #requireSameGrid(Volume, LabelMap, String, String)} for two grids. */
    public static void requireSameGrid(ImageGeometry image, ImageGeometry labels, String imageName, String labelsName) {
        if (!image.sameGrid(labels, GRID_TOLERANCE)) {
            throw new InvalidInputException("label map " + labelsName + " (" + describe(labels)
                    + ") is not on the grid of image " + imageName + " (" + describe(image) + ")");
        }
    }

    private static String describe(ImageGeometry g) {
        return g + ", direction " + java.util.Arrays.toString(g.direction());
    }

    /** The file formats, by extension. */
    enum Format {
        NIFTI, NIFTI_GZ, NRRD, NHDR;

        static Format of(Path file) {
            String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
            if (name.endsWith(".nii.gz")) {
                return NIFTI_GZ;
            }
            if (name.endsWith(".nii")) {
                return NIFTI;
            }
            if (name.endsWith(".nrrd")) {
                return NRRD;
            }
            if (name.endsWith(".nhdr")) {
                return NHDR;
            }
            throw new VolumeFormatException(file, "unsupported file extension: expected .nii, .nii.gz, .nrrd or .nhdr"
                    + " (or a DICOM folder or .dcm file for CT volumes)");
        }
    }

    /** What a non-gzip ".nii.gz" holds: an uncompressed NIfTI (rename it), text, or something else. */
    private static String whatItIs(InputStream in) throws IOException {
        in.mark(400);
        byte[] head = in.readNBytes(352);
        in.reset();
        if (head.length >= 348) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
            int le = b.order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
            int be = b.order(java.nio.ByteOrder.BIG_ENDIAN).getInt(0);
            if (le == 348 || be == 348) {
                return "it is an uncompressed NIfTI file: rename it to .nii";
            }
        }
        int printable = 0;
        for (byte c : head) {
            if (c == '\n' || c == '\r' || c == '\t' || (c >= 32 && c < 127)) {
                printable++;
            }
        }
        if (head.length == 0) {
            return "the file is empty";
        }
        if (printable == head.length) {
            String start = new String(head, 0, Math.min(40, head.length), java.nio.charset.StandardCharsets.US_ASCII)
                    .replaceAll("\\s+", " ").trim();
            return "it is a text file (starts with \"" + start + "\"), not an image";
        }
        return "nor is it an uncompressed NIfTI (no 348-byte header): not a NIfTI image";
    }

    private static VoxelBlock read(Path file) {
        if (file == null) {
            throw new InvalidInputException("volume file path is null");
        }
        Format format = Format.of(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long length = Files.size(file);
            boolean gzipped = startsWithGzipMagic(raw);
            return switch (format) {
                case NIFTI -> {
                    if (gzipped) {
                        throw new VolumeFormatException(file, "named .nii but gzip-compressed; rename it to .nii.gz");
                    }
                    yield NiftiReader.read(file, raw, length);
                }
                case NIFTI_GZ -> {
                    if (!gzipped) {
                        throw new VolumeFormatException(file, "named .nii.gz but not gzip-compressed; " + whatItIs(raw));
                    }
                    yield NiftiReader.read(file, new GZIPInputStream(raw, 1 << 16), -1);
                }
                case NRRD, NHDR -> NrrdReader.read(file, raw, length);
            };
        } catch (NoSuchFileException e) {
            throw new VolumeFormatException(file, "file does not exist", e);
        } catch (ZipException e) {
            throw new VolumeFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new VolumeFormatException(file, "truncated compressed data", e);
        } catch (IOException e) {
            throw new VolumeFormatException(file, "cannot read: " + e, e);
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }
}
