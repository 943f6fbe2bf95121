package org.nnunet.cropping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crops every case to the bounding box of its nonzero mask (nnU-Net v1 {@code preprocessing/cropping.py},
 * {@code ImageCropper} and {@code crop_to_nonzero}) and stores it in the cropped-data folder.
 */
public final class ImageCropper {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCropper.class);
    /** Label written where the segmentation is background and the nonzero mask is 0. */
    public static final float NONZERO_LABEL = -1f;

    private ImageCropper() {}

    /** Reads the case's files (all modalities must share the first one's grid) and crops them. */
    public static CroppedCase loadAndCrop(RawCase c) throws IOException {
        List<float[]> channels = new ArrayList<>();
        Volume first = null;
        for (Path f : c.dataFiles()) {
            Volume v = NiftiIO.read(f);
            if (first == null) {
                first = v;
            } else if (!Arrays.equals(first.shape(), v.shape())) {
                throw new IOException(f + ": shape " + Arrays.toString(v.shape()) + " differs from "
                        + Arrays.toString(first.shape()) + " of " + c.dataFiles().get(0));
            }
            channels.add(v.data());
        }
        float[] seg = null;
        if (c.segFile() != null) {
            Volume s = NiftiIO.read(c.segFile());
            if (!Arrays.equals(first.shape(), s.shape())) {
                throw new IOException(c.segFile() + ": label shape " + Arrays.toString(s.shape())
                        + " differs from image shape " + Arrays.toString(first.shape()));
            }
            seg = s.data();
        }
        List<String> names = c.dataFiles().stream().map(Path::toString).toList();
        String segName = c.segFile() == null ? null : c.segFile().toString();
        return crop(c.caseId(), channels, seg, first.shape(), first.geometry(), names, segName);
    }

    /**
     * {@code crop_to_nonzero} plus the bookkeeping of {@code ImageCropper.crop}: crop data and seg to the nonzero
     * box, set {@code seg[(seg == 0) & (mask == 0)] = -1} (without a seg: 0 inside the mask, -1 outside), record
     * {@code np.unique(seg)} as the case's classes, then clamp labels below -1 to 0.
     */
    public static CroppedCase crop(String caseId, List<float[]> channels, float[] seg, int[] shape,
            ImageGeometry geometry, List<String> dataFiles, String segFile) throws IOException {
        boolean[] mask = NonzeroMask.create(channels, shape);
        BoundingBox box = NonzeroMask.boundingBox(mask, shape);
        if (box == null) {
            throw new IOException("case " + caseId + " (" + dataFiles.get(0) + "): every voxel is 0 in every"
                    + " channel, there is nothing to crop to");
        }
        List<float[]> cropped = new ArrayList<>(channels.size());
        for (float[] ch : channels) {
            cropped.add(box.crop(ch, shape));
        }
        boolean[] croppedMask = box.crop(mask, shape);
        float[] croppedSeg;
        if (seg != null) {
            croppedSeg = box.crop(seg, shape);
            for (int i = 0; i < croppedSeg.length; i++) {
                if (croppedSeg[i] == 0f && !croppedMask[i]) {
                    croppedSeg[i] = NONZERO_LABEL;
                }
            }
        } else {
            croppedSeg = new float[croppedMask.length];
            for (int i = 0; i < croppedSeg.length; i++) {
                croppedSeg[i] = croppedMask[i] ? 0f : NONZERO_LABEL;
            }
        }
        double[] classes = uniqueValues(croppedSeg);
        for (int i = 0; i < croppedSeg.length; i++) {
            if (croppedSeg[i] < -1f) {
                croppedSeg[i] = 0f;
            }
        }
        CaseProperties props = new CaseProperties(shape.clone(), geometry.spacingZYX(), List.copyOf(dataFiles),
                segFile, geometry.itkOrigin(), geometry.itkSpacing(), geometry.itkDirection(), box.toPairs(),
                classes, box.shape());
        return new CroppedCase(caseId, cropped, croppedSeg, props);
    }

    /** {@code np.unique} of a label array, sorted. */
    public static double[] uniqueValues(float[] a) {
        return uniqueValues(a, 0, a.length);
    }

    /** {@code np.unique} of {@code a[off, off + len)}, sorted; runs of one value are checked once. */
    public static double[] uniqueValues(float[] a, int off, int len) {
        TreeSet<Float> set = new TreeSet<>();
        float prev = Float.NaN;
        for (int i = off; i < off + len; i++) {
            float v = a[i];
            if (Float.compare(v, prev) != 0) {
                set.add(v);
                prev = v;
            }
        }
        return set.stream().mapToDouble(Float::doubleValue).toArray();
    }

    /**
     * {@code ImageCropper.run_cropping}: copies the label files to {@code gt_segmentations}, then crops the cases
     * on {@code threads} threads, skipping those already stored unless {@code overwrite}. All failures are
     * collected and reported together.
     */
    public static void run(List<RawCase> cases, CroppedDataFolder out, int threads, boolean overwrite)
            throws IOException {
        Path gt = out.gtSegmentationsDir();
        Files.createDirectories(gt);
        for (RawCase c : cases) {
            if (c.segFile() != null) {
                Files.copy(c.segFile(), gt.resolve(c.segFile().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (RawCase c : cases) {
                jobs.add(pool.submit(() -> {
                    if (overwrite || !out.contains(c.caseId())) {
                        out.write(loadAndCrop(c));
                    }
                    return null;
                }));
            }
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                try {
                    jobs.get(i).get();
                } catch (ExecutionException e) {
                    errors.add(cases.get(i).caseId() + ": " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("cropping interrupted", e);
                }
            }
            if (!errors.isEmpty()) {
                throw new IOException("cropping failed for " + errors.size() + " case(s): " + String.join("; ", errors));
            }
            LOG.info("cropped {} cases into {}", cases.size(), out.dir());
        } finally {
            pool.shutdownNow();
        }
    }
}
