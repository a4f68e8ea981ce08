"""The hash-chained public record: the floor every app appends to."""
