package io.camelvan.router.cli;

import java.time.Duration;

import io.camelvan.router.config.Units;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a positive duration option as the configuration does: {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration duration;
        try {
            duration = Units.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        if (duration.isZero()) {
            throw new TypeConversionException("'" + value + "' must be longer than zero");
        }
        return duration;
    }
}
