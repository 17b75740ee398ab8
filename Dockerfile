# Kartla in a container: build with the Rust toolchain, run on a slim Debian.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin kartla

FROM debian:bookworm-slim
RUN useradd --system --home /var/lib/kartla --create-home kartla
COPY --from=build /src/target/release/kartla /usr/local/bin/kartla
USER kartla
WORKDIR /var/lib/kartla
ENV KARTLA_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["kartla"]
CMD ["serve"]
