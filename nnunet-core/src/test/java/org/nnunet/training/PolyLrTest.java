package org.nnunet.training;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PolyLrTest {

    @Test
    @DisplayName("poly_lr(epoch, 1000, 0.01, 0.9) at epochs 0, 500, 999")
    void polyLr() {
        PolyLr lr = PolyLr.nnUNetV2();
        assertEquals(0.01, lr.lr(0), 1e-15);
        // 0.01 * 0.5^0.9 = 0.01 * 2^-0.9 = 0.005358867312681466
        assertEquals(0.005358867312681466, lr.lr(500), 1e-15);
        // 0.01 * 0.001^0.9 = 10^-2 * 10^-2.7 = 10^-4.7 = 1.9952623149688786e-05
        assertEquals(1.9952623149688786e-05, lr.lr(999), 1e-17);
    }
}
