package io.github.wechatpaypartner.client.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Times on the wire: written as the pages fix them, read in any ISO-8601 offset form. */
class WechatPayJsonTest {
  private final ObjectMapper mapper = WechatPayJson.newObjectMapper(io.github.wechatpaypartner.client.SpecCatalog.ONE_OF_MODELS);

  @Test
  void timesAreWrittenWithSecondsAndANumericOffset() throws Exception {
    assertEquals("\"2025-01-01T00:00:00+08:00\"",
        mapper.writeValueAsString(OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(8))));
    assertEquals("\"2025-01-01T10:30:05+00:00\"", mapper.writeValueAsString(
        OffsetDateTime.of(2025, 1, 1, 10, 30, 5, 0, ZoneOffset.UTC)), "UTC is +00:00, never Z");
  }

  @Test
  void timesAreReadLeniently() throws Exception {
    OffsetDateTime expected = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(8));
    for (String text : new String[] {"2025-01-01T00:00+08:00", "2025-01-01T00:00:00+08:00",
        "2025-01-01T00:00:00.000+08:00", "2025-01-01t00:00:00+08:00"}) {
      assertEquals(expected, mapper.readValue("\"" + text + "\"", OffsetDateTime.class), text);
    }
    assertEquals(ZoneOffset.UTC, mapper.readValue("\"2025-01-01T00:00:00Z\"", OffsetDateTime.class).getOffset());
  }

  @Test
  void aOneOfBodyWithoutItsDiscriminatorIsAJacksonErrorNamingTheType() {
    com.fasterxml.jackson.databind.JsonMappingException e = org.junit.jupiter.api.Assertions.assertThrows(
        com.fasterxml.jackson.databind.JsonMappingException.class, () -> mapper.readValue(
            "{\"out_request_no\":\"x\"}", io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest.class));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("which variant of UpdateStockBudgetRequest"),
        e.getMessage());
  }
}
