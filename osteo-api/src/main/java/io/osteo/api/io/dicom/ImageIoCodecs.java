package io.osteo.api.io.dicom;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * JPEG lossless/baseline (TwelveMonkeys) and JPEG 2000 (jai-imageio) decoding of one frame through
 * {@link ImageReader#readRaster}, which returns the stored samples unchanged (no colour or display
 * conversion). The TwelveMonkeys reader is picked explicitly: the JDK's own JPEG reader refuses
 * lossless (SOF3) streams.
 */
final class ImageIoCodecs {
    private static volatile ImageReaderSpi jpeg;
    private static volatile ImageReaderSpi jpeg2000;

    private ImageIoCodecs() {
    }

    /** Decodes a JPEG frame into raw words, giving up after {@code timeoutMillis}. */
    static int[] decodeJpeg(Path file, byte[] b, int offset, int length, PixelFormat f, long timeoutMillis) {
        ImageReaderSpi spi = jpegSpi(file);
        return bounded(file, "JPEG", timeoutMillis, () -> decode(file, spi, "JPEG", b, offset, length, f));
    }

    /** Decodes a JPEG 2000 code stream into raw words, giving up after {@code timeoutMillis}. */
    static int[] decodeJpeg2000(Path file, byte[] b, int offset, int length, PixelFormat f, long timeoutMillis) {
        Jpeg2000Header.check(file, b, offset, length, f);
        return bounded(file, "JPEG 2000", timeoutMillis,
                () -> decode(file, jpeg2000Spi(), "JPEG 2000", b, offset, length, f));
    }

    /**
     * Runs a third-party decode on its own daemon thread with a deadline. Needed because jj2000
     * (inside jai-imageio) loops without end on some damaged packet headers (seen in fuzzing: the
     * Lblock loop of PktDecoder.readPktHead); past the deadline the read fails with the typed
     * error and the stuck thread is stopped where the JVM still allows it (Java 17..19).
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static int[] bounded(Path file, String what, long timeoutMillis, java.util.concurrent.Callable<int[]> job) {
        java.util.concurrent.FutureTask<int[]> task = new java.util.concurrent.FutureTask<>(job);
        Thread t = new Thread(task, "dicom-" + what.replace(' ', '-').toLowerCase(java.util.Locale.ROOT) + "-decode");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            task.cancel(true);
            try {
                t.stop();
            } catch (UnsupportedOperationException | SecurityException ignored) {
                // newer JVMs: the daemon thread is abandoned
            }
            throw new DicomFormatException(file, what + " decoder did not finish within " + timeoutMillis
                    + " ms: the compressed pixel data is corrupt");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof DicomFormatException d) {
                throw d;
            }
            throw new DicomFormatException(file, "corrupt " + what + " pixel data: " + c, c);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new DicomFormatException(file, "interrupted while decoding " + what, e);
        }
    }

    private static int[] decode(Path file, ImageReaderSpi spi, String what, byte[] b, int offset, int length,
            PixelFormat f) {
        ImageReader reader = null;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(b, offset, length))) {
            reader = spi.createReaderInstance();
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != f.columns() || h != f.rows()) {
                throw new DicomFormatException(file, what + " stream is " + w + "x" + h + " but the header says "
                        + f.columns() + "x" + f.rows());
            }
            Raster raster = reader.readRaster(0, null);
            if (raster.getNumBands() != 1 || raster.getWidth() != w || raster.getHeight() != h) {
                throw new DicomFormatException(file, what + " stream decodes to " + raster.getNumBands() + " bands of "
                        + raster.getWidth() + "x" + raster.getHeight() + ", one band of " + w + "x" + h + " expected");
            }
            return raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, (int[]) null);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (e instanceof DicomFormatException d) {
                throw d;
            }
            throw new DicomFormatException(file, "corrupt " + what + " pixel data: " + e, e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private static ImageReaderSpi jpegSpi(Path file) {
        ImageReaderSpi spi = jpeg;
        if (spi == null) {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            spi = find(registry);
            if (spi == null) {
                registry.registerApplicationClasspathSpis();
                spi = find(registry);
            }
            if (spi == null) {
                throw new DicomFormatException(file, "JPEG lossless needs the TwelveMonkeys imageio-jpeg reader,"
                        + " which is not on the class path");
            }
            jpeg = spi;
        }
        return spi;
    }

    private static ImageReaderSpi find(IIORegistry registry) {
        Iterator<ImageReaderSpi> it = registry.getServiceProviders(ImageReaderSpi.class, true);
        while (it.hasNext()) {
            ImageReaderSpi s = it.next();
            if (s.getClass().getName().equals("com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi")) {
                return s;
            }
        }
        return null;
    }

    private static ImageReaderSpi jpeg2000Spi() {
        ImageReaderSpi spi = jpeg2000;
        if (spi == null) {
            spi = new com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi();
            jpeg2000 = spi;
        }
        return spi;
    }
}
