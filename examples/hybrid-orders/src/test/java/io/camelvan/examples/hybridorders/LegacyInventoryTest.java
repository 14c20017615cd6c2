package io.camelvan.examples.hybridorders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LegacyInventoryTest {

    private final LegacyInventory inventory = new LegacyInventory(Map.of("widget", 3));

    @Test
    void reservesWhileStockLastsAndReportsWhatIsLeft() {
        assertThat(inventory.answer("STOCK widget")).isEqualTo("STOCK widget 3");
        assertThat(inventory.answer("RESERVE widget 2")).isEqualTo("OK widget 1");
        assertThat(inventory.answer("RESERVE widget 2")).isEqualTo("SHORT widget 1");
        assertThat(inventory.answer("  RESERVE widget 1 ")).isEqualTo("OK widget 0");
        assertThat(inventory.answer("STOCK nothing")).isEqualTo("STOCK nothing 0");
    }

    @Test
    void answersAnythingElseWithAnError() {
        assertThat(inventory.answer("RESERVE widget 0")).isEqualTo("ERROR unknown command: RESERVE widget 0");
        assertThat(inventory.answer("RESERVE widget -1")).isEqualTo("ERROR unknown command: RESERVE widget -1");
        assertThat(inventory.answer("DELETE widget")).isEqualTo("ERROR unknown command: DELETE widget");
        assertThat(inventory.answer("")).isEqualTo("ERROR unknown command: ");
        assertThat(inventory.answer("STOCK widget")).isEqualTo("STOCK widget 3");
    }
}
