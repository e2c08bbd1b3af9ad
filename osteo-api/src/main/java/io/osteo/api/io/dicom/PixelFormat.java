package io.osteo.api.io.dicom;

import java.nio.file.Path;

/**
 * The pixel module of one image: size, sample layout and the modality rescale to HU
 * ({@code HU = stored * slope + intercept}).
 *
 * @param rows Rows (0028,0010): pixels along the column direction (j)
 * @param columns Columns (0028,0011): pixels along the row direction (i)
 * @param bitsAllocated 8, 16 or 32
 * @param bitsStored significant bits of each sample
 * @param highBit most significant stored bit
 * @param signed PixelRepresentation 1 (two's complement)
 * @param photometric MONOCHROME1 or MONOCHROME2
 * @param slope RescaleSlope (1 when absent)
 * @param intercept RescaleIntercept (0 when absent)
 * @param padding PixelPaddingValue as a stored sample, or null
 */
record PixelFormat(int rows, int columns, int bitsAllocated, int bitsStored, int highBit, boolean signed,
        String photometric, double slope, double intercept, Integer padding) {

    /** Rows or Columns beyond this are refused before anything is allocated. */
    static final int MAX_SIDE = 16384;

    static PixelFormat of(DicomDataSet ds) {
        Path file = ds.file();
        int rows = ds.unsignedShort(Tags.ROWS, -1);
        int columns = ds.unsignedShort(Tags.COLUMNS, -1);
        if (rows < 1 || columns < 1) {
            throw new DicomFormatException(file, "image has no Rows/Columns (0028,0010/0011) or they are zero: "
                    + rows + "x" + columns);
        }
        if (rows > MAX_SIDE || columns > MAX_SIDE) {
            throw new DicomFormatException(file, "image size " + columns + "x" + rows + " exceeds " + MAX_SIDE
                    + " pixels per side");
        }
        int samples = ds.unsignedShort(Tags.SAMPLES_PER_PIXEL, 1);
        if (samples != 1) {
            throw new DicomFormatException(file, "SamplesPerPixel is " + samples + ": only grey-scale CT (1) is read");
        }
        String photometric = ds.string(Tags.PHOTOMETRIC_INTERPRETATION);
        if (photometric == null) {
            photometric = "MONOCHROME2";
        }
        if (!photometric.equals("MONOCHROME2") && !photometric.equals("MONOCHROME1")) {
            throw new DicomFormatException(file, "PhotometricInterpretation " + photometric
                    + " is not grey-scale (MONOCHROME1/MONOCHROME2)");
        }
        int allocated = ds.unsignedShort(Tags.BITS_ALLOCATED, -1);
        if (allocated != 8 && allocated != 16 && allocated != 32) {
            throw new DicomFormatException(file, "BitsAllocated " + allocated + " is not supported (8, 16 or 32)");
        }
        int stored = ds.unsignedShort(Tags.BITS_STORED, allocated);
        int highBit = ds.unsignedShort(Tags.HIGH_BIT, stored - 1);
        if (stored < 1 || stored > allocated || highBit < stored - 1 || highBit >= allocated) {
            throw new DicomFormatException(file, "inconsistent pixel bits: allocated " + allocated + ", stored "
                    + stored + ", high bit " + highBit);
        }
        int representation = ds.unsignedShort(Tags.PIXEL_REPRESENTATION, 0);
        if (representation > 1) {
            throw new DicomFormatException(file, "PixelRepresentation " + representation + " is neither 0 nor 1");
        }
        double slope = ds.decimal(Tags.RESCALE_SLOPE, 1.0);
        double intercept = ds.decimal(Tags.RESCALE_INTERCEPT, 0.0);
        if (slope == 0) {
            throw new DicomFormatException(file, "RescaleSlope (0028,1053) is 0");
        }
        Integer padding = null;
        if (ds.has(Tags.PIXEL_PADDING_VALUE)) {
            int p = ds.unsignedShort(Tags.PIXEL_PADDING_VALUE, 0);
            padding = representation == 1 ? (int) (short) p : p;
        }
        return new PixelFormat(rows, columns, allocated, stored, highBit, representation == 1, photometric, slope,
                intercept, padding);
    }

    int pixels() {
        return rows * columns;
    }

    int bytesPerSample() {
        return bitsAllocated / 8;
    }

    /** The stored sample of a raw allocated word: shifted down to the stored bits, masked, sign-extended. */
    int sample(int raw) {
        int shift = highBit + 1 - bitsStored;
        int v = raw >>> shift;
        if (bitsStored < 32) {
            v &= (1 << bitsStored) - 1;
            if (signed && (v & (1 << (bitsStored - 1))) != 0) {
                v -= 1 << bitsStored;
            }
        }
        return v;
    }

    /** True when stored samples need no shifting, masking or sign extension beyond a Java short/byte read. */
    boolean plain() {
        return bitsStored == bitsAllocated && highBit == bitsAllocated - 1;
    }

    /** Same layout and scaling as {@code o} (all slices of a series must agree on size and bits). */
    boolean sameLayout(PixelFormat o) {
        return rows == o.rows && columns == o.columns;
    }
}
