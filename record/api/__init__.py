"""The public record API."""
