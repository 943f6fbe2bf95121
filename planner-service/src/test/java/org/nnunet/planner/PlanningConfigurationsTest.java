package org.nnunet.planner;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.FileSystemObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The 3D configurations the planner lists for training, v1's: 3d_fullres, and with a low-resolution stage also
 * 3d_lowres and 3d_cascade_fullres (v1 README: "3d_cascade_fullres ... only applicable to datasets where the
 * 3d_lowres configuration exists"). Plain JUnit on a filesystem store.
 */
class PlanningConfigurationsTest {

    @Test
    @DisplayName("one-stage plans -> 3d_fullres; two-stage plans -> 3d_fullres, 3d_lowres, 3d_cascade_fullres")
    void configurationsFollowTheNumberOfStages(@TempDir Path dir) throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(dir.resolve("store"));
        VersionLayout version = TinyVersion.planned(store, "Task905_Stages", 3);
        Path file = dir.resolve(PlansIO.PLANS_3D);
        Files.write(file, store.getBytes(version.preprocessed() + PlansIO.PLANS_3D));
        Plans plans = PlansIO.read(file);
        assertEquals(1, plans.numStages(), "20x24x28 needs no low-res stage");
        assertEquals(List.of("3d_fullres"), Planning.configurations3d(plans));
        Plans two = TinyVersion.twoStages(plans);
        assertEquals(List.of("3d_fullres", "3d_lowres", "3d_cascade_fullres"), Planning.configurations3d(two));
    }
}
