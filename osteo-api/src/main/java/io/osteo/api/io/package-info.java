/**
 * Volume file I/O: {@link io.osteo.api.io.VolumeIo} reads NIfTI-1 and NRRD CT volumes and label
 * maps into LPS-millimetre {@link io.osteo.api.volume.Volume}/{@link io.osteo.api.volume.LabelMap}
 * and writes NIfTI-1; every file problem is a {@link io.osteo.api.io.VolumeFormatException}
 * naming the file.
 */
package io.osteo.api.io;
