/**
 * DICOM CT input: {@link io.osteo.api.io.dicom.DicomSeriesReader} reads a folder (or one file) of
 * a DICOM series into an LPS {@link io.osteo.api.volume.Volume} in HU. The Part 10 parser and the
 * RLE decoder are ours; JPEG lossless goes through TwelveMonkeys imageio-jpeg, JPEG 2000 through
 * jai-imageio-jpeg2000. Every problem is a {@link io.osteo.api.io.dicom.DicomFormatException}
 * naming the file or folder.
 */
package io.osteo.api.io.dicom;
