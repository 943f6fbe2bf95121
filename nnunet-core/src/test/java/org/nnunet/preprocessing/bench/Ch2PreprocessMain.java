package org.nnunet.preprocessing.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.preprocessing.CasePreprocessor;
import org.nnunet.preprocessing.CtIntensities;
import org.nnunet.preprocessing.NormalizationScheme;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.preprocessing.PreprocessingConfig;

/**
 * Child-JVM workload of {@link PreprocessingBenchmark}: ch2.nii.gz with aal.nii.gz (116 labels) as segmentation,
 * seg -1 where image and label are 0 (no bounding-box crop), preprocessed for 3d_fullres at 0.7 mm (nonCT, mask)
 * and written as a stage folder. Prints wall times and VmHWM (peak RSS) of this process.
 * Args: templates dir, output dir.
 */
public final class Ch2PreprocessMain {
    private Ch2PreprocessMain() {}

    public static void main(String[] args) throws Exception {
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long t0 = System.nanoTime();
        Volume img = NiftiIO.read(templates.resolve("ch2.nii.gz"));
        Volume lab = NiftiIO.read(templates.resolve("aal.nii.gz"));
        float[] seg = lab.data().clone();
        float[] data = img.data().clone();
        for (int i = 0; i < seg.length; i++) {
            if (seg[i] == 0 && data[i] == 0) {
                seg[i] = -1;
            }
        }
        long t1 = System.nanoTime();
        PreprocessingConfig config = new PreprocessingConfig(new NormalizationScheme[] {NormalizationScheme.NON_CT},
                new boolean[] {true}, new CtIntensities[1], new int[] {0, 1, 2},
                IntStream.rangeClosed(1, 116).toArray());
        PreprocessedCase p = new CasePreprocessor(config).preprocess(new float[][] {data}, seg, img.shape(),
                img.geometry().spacingZYX(), new double[] {0.7, 0.7, 0.7}, false);
        long t2 = System.nanoTime();
        ObjectNode props = new ObjectMapper().createObjectNode();
        double[] sp = img.geometry().spacingZYX();
        props.putArray("original_spacing").add(sp[0]).add(sp[1]).add(sp[2]);
        PreprocessedDataFolder folder = new PreprocessedDataFolder(out);
        folder.write("ch2", p, props);
        long t3 = System.nanoTime();
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf("shape %s -> %s%n", java.util.Arrays.toString(img.shape()),
                java.util.Arrays.toString(p.shape()));
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf("read %.2f s, preprocess %.2f s, write %.2f s, total %.2f s wall, process CPU %.2f s, %s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, cpu, hwm);
    }
}
