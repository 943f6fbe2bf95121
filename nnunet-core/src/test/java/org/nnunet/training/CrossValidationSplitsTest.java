package org.nnunet.training;

import org.nnunet.util.NumpyRandomState;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CrossValidationSplitsTest {

    @Test
    @DisplayName("numpy RandomState(12345): MT19937 init_genrand state and first 32-bit draw")
    void mersenneTwisterMatchesNumpy() {
        // np.random.RandomState(12345).get_state()[1][:3] = [12345, 2003863422, 2690739229] and the first
        // genrand_int32 output 3992670690 (numpy 1.24, computed once with /usr/bin/python3)
        NumpyRandomState rs = new NumpyRandomState(12345);
        assertEquals(3992670690L, rs.nextUint32());
    }

    @Test
    @DisplayName("KFold(5, shuffle, random_state=12345) over 12 sorted ids, golden from sklearn 1.2.1")
    void smallGoldenSplit() {
        // validation indices per fold from KFold(...).split(np.sort(['case_00'..'case_11'])), computed once with
        // /usr/bin/python3 (numpy 1.24, scikit-learn 1.2.1): [0,3,8], [7,10,11], [6,9], [1,4], [2,5]
        List<String> ids = IntStream.range(0, 12).mapToObj(i -> String.format("case_%02d", 11 - i)).toList();
        List<CrossValidationSplits.Fold> folds = CrossValidationSplits.create(ids);
        int[][] val = {{0, 3, 8}, {7, 10, 11}, {6, 9}, {1, 4}, {2, 5}};
        assertEquals(5, folds.size());
        for (int k = 0; k < 5; k++) {
            List<String> expected = IntStream.of(val[k]).mapToObj(i -> String.format("case_%02d", i)).toList();
            assertEquals(expected, folds.get(k).val(), "fold " + k);
            assertEquals(12 - expected.size(), folds.get(k).train().size());
            assertEquals(false, folds.get(k).train().stream().anyMatch(expected::contains));
        }
    }

    @Test
    @DisplayName("splits_final of the 208 Hippocampus cases equals sklearn KFold(5, shuffle, 12345) run now")
    void hippocampusSplitMatchesSklearn() throws Exception {
        Path labels = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus",
                "labelsTr");
        Assumptions.assumeTrue(Files.isDirectory(labels), "no shared data at " + labels);
        List<String> ids;
        try (Stream<Path> files = Files.list(labels)) {
            ids = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".nii.gz") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ".nii.gz".length()))
                    .collect(Collectors.toCollection(ArrayList::new));
        }
        assertEquals(208, ids.size());
        String script = """
                import sys, json
                import numpy as np
                from sklearn.model_selection import KFold
                keys = np.sort(json.load(sys.stdin))
                out = []
                for tr, te in KFold(n_splits=5, shuffle=True, random_state=12345).split(keys):
                    out.append({'train': [str(k) for k in keys[tr]], 'val': [str(k) for k in keys[te]]})
                print(json.dumps(out))
                """;
        String json = PythonReference.run(script, new ObjectMapper().writeValueAsString(ids));
        List<CrossValidationSplits.Fold> expected = new ObjectMapper().readValue(json,
                new TypeReference<List<CrossValidationSplits.Fold>>() { });
        List<CrossValidationSplits.Fold> actual = CrossValidationSplits.create(ids);
        assertEquals(expected, actual);
        assertEquals(List.of(42, 42, 42, 41, 41), actual.stream().map(f -> f.val().size()).toList());
    }

    @Test
    @DisplayName("splits_final.json is written once and an existing file is used as-is")
    void existingFileIsUsed(@TempDir Path dir) throws Exception {
        List<String> ids = IntStream.range(0, 12).mapToObj(i -> String.format("case_%02d", i)).toList();
        List<CrossValidationSplits.Fold> created = CrossValidationSplits.loadOrCreate(dir, ids);
        assertEquals(created, CrossValidationSplits.read(dir.resolve("splits_final.json")));
        List<CrossValidationSplits.Fold> custom = List.of(
                new CrossValidationSplits.Fold(List.of("case_00"), List.of("case_01")));
        CrossValidationSplits.write(custom, dir.resolve("splits_final.json"));
        assertEquals(custom, CrossValidationSplits.loadOrCreate(dir, ids));
    }
}
