package org.nnunet.preprocessing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects jobs for {@code reference.py} (skimage 0.19 / scipy / numpy under {@code nnunet.python}, default
 * /usr/bin/python3), runs them in ONE Python process and hands back the results. Arrays travel as .npy files.
 */
final class PythonReference {
    private final Path dir;
    private final List<Map<String, Object>> jobs = new ArrayList<>();
    private int next;

    PythonReference(Path dir) {
        this.dir = dir;
    }

    static String python() {
        return System.getProperty("nnunet.python", "/usr/bin/python3");
    }

    /** Skips the calling test when the Python with skimage/scipy is missing. */
    static void assumePython() {
        assumeTrue(Files.isExecutable(Path.of(python())), "no Python at " + python());
    }

    String add(String op, float[] data, int[] shape, Map<String, Object> params) throws IOException {
        String id = "j" + next++;
        Map<String, Object> job = new LinkedHashMap<>(params);
        job.put("op", op);
        if (data != null) {
            Path in = dir.resolve(id + "_in.npy");
            writeNpy(in, shape, data);
            job.put("in", in.toString());
        }
        job.put("out", dir.resolve(id + "_out.npy").toString());
        jobs.add(job);
        return id;
    }

    void run() throws IOException, InterruptedException {
        Path manifest = dir.resolve("manifest.json");
        new ObjectMapper().writeValue(manifest.toFile(), jobs);
        Path script = dir.resolve("reference.py");
        try (InputStream s = PythonReference.class.getResourceAsStream("reference.py")) {
            Files.copy(s, script);
        }
        Process p = new ProcessBuilder(python(), script.toString(), manifest.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("reference.py failed: " + Files.readString(dir.resolve("python.log")));
        }
    }

    double[] result(String id) throws IOException {
        return readNpy(dir.resolve(id + "_out.npy"));
    }

    static void writeNpy(Path file, int[] shape, float[] data) throws IOException {
        String dims = shape.length == 1 ? shape[0] + "," : String.join(", ",
                Arrays.stream(shape).mapToObj(Integer::toString).toArray(String[]::new));
        StringBuilder h = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }");
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + hb.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) hb.length);
        b.put(hb);
        b.asFloatBuffer().put(data);
        Files.write(file, b.array());
    }

    /** Reads a little-endian C-order {@code <f8} or {@code <f4} .npy as doubles. */
    static double[] readNpy(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int hlen = b.getShort(8) & 0xffff;
        String header = new String(b.array(), 10, hlen, StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("'descr': '([<|]f[48])'").matcher(header);
        if (!m.find() || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": unsupported npy header " + header);
        }
        b.position(10 + hlen);
        ByteBuffer body = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        double[] out;
        if (m.group(1).endsWith("8")) {
            out = new double[body.remaining() / 8];
            body.asDoubleBuffer().get(out);
        } else {
            out = new double[body.remaining() / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = body.getFloat(4 * i);
            }
        }
        return out;
    }
}
