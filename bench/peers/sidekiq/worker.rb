# The Sidekiq side of the peer benchmark: a no-op job that notes when the expected number of jobs
# has run (drain) or how long each waited (latency), into files the driver reads.
require "sidekiq"
require "json"

Sidekiq.configure_server do |config|
  config.redis = { url: ENV.fetch("BENCH_REDIS_URL") }
end

class NoopJob
  include Sidekiq::Worker
  sidekiq_options queue: "bench", retry: 2

  @lock = Mutex.new
  @count = 0
  @latencies = []
  class << self
    attr_reader :lock
    attr_accessor :count, :latencies
  end

  def perform(payload)
    started = Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)
    self.class.lock.synchronize do
      self.class.latencies << started - payload["t"] if ENV["BENCH_MODE"] == "latency"
      self.class.count += 1
      if self.class.count == Integer(ENV.fetch("BENCH_TOTAL"))
        done = Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)
        out = ENV.fetch("BENCH_DONE_FILE")
        File.write("#{out}.tmp", JSON.generate({ "done_ms" => done, "latencies" => self.class.latencies }))
        File.rename("#{out}.tmp", out)
      end
    end
  end
end
