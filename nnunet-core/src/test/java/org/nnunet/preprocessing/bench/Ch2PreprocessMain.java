package org.nnunet.preprocessing.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.nnunet.cropping.CroppedCase;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;
import org.nnunet.preprocessing.CasePreprocessor;
import org.nnunet.preprocessing.CtIntensities;
import org.nnunet.preprocessing.NormalizationScheme;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.preprocessing.PreprocessingConfig;

/**
 * Child-JVM workload of {@link PreprocessingBenchmark}: ch2.nii.gz with aal.nii.gz (116 labels) as segmentation,
 * cropped to the nonzero box, preprocessed for 3d_fullres at 0.7 mm (nonCT, mask) and written as a stage folder. Prints wall times and VmHWM (peak RSS) of this process.
 * Args: templates dir, output dir.
 */
public final class Ch2PreprocessMain {
    private Ch2PreprocessMain() {}

    public static void main(String[] args) throws Exception {
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long t0 = System.nanoTime();
        CroppedCase c = ImageCropper.loadAndCrop(new RawCase("ch2", List.of(templates.resolve("ch2.nii.gz")),
                templates.resolve("aal.nii.gz")));
        long t1 = System.nanoTime();
        PreprocessingConfig config = new PreprocessingConfig(new NormalizationScheme[] {NormalizationScheme.NON_CT},
                new boolean[] {true}, new CtIntensities[1], new int[] {0, 1, 2},
                IntStream.rangeClosed(1, 116).toArray());
        double[] spacing = c.properties().originalSpacing();
        PreprocessedCase p = new CasePreprocessor(config).preprocess(c.channels().toArray(new float[0][]), c.seg(),
                c.shape(), spacing, new double[] {0.7, 0.7, 0.7}, false);
        long t2 = System.nanoTime();
        ObjectNode props = new ObjectMapper().valueToTree(c.properties());
        new PreprocessedDataFolder(out).write("ch2", p, props);
        long t3 = System.nanoTime();
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf("shape %s, cropped %s -> %s%n", java.util.Arrays.toString(c.properties()
                .originalSizeOfRawData()), java.util.Arrays.toString(c.shape()), java.util.Arrays.toString(p.shape()));
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf("read + crop %.2f s, preprocess %.2f s, write %.2f s, total %.2f s wall, process CPU %.2f s, %s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, cpu, hwm);
    }
}
