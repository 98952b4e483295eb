# Runs one workload against Sidekiq on a Redis server that is already up, and prints one JSON line:
#   ruby bench.rb WORKLOAD REDIS_URL TOTAL TIMEOUT_S [LATENCY_SECONDS]
# WORKLOAD: W1 (1 producer), W1c (16 producers), W1b (push_bulk of 100), W2 (drain), W3 (latency).
require "sidekiq"
require "json"
require "tmpdir"
require "timeout"
require_relative "worker"

workload, url, total, timeout_s, lat_s = ARGV
total = Integer(total)
timeout_s = Float(timeout_s)
Sidekiq.configure_client { |c| c.redis = { url: url, size: 20 } }

def now_ms = Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)

def payload(i, t = 0)
  { "user_id" => 100_000 + i, "email" => "user#{100_000 + i}@example.com", "template" => "welcome",
    "locale" => "en-GB", "t" => t.round(3) }
end

def result(done, total, ms, extra = {})
  puts JSON.generate({ "value" => done / (ms / 1000.0), "done" => done, "total" => total,
                       "timedOut" => done < total, "seconds" => ms / 1000.0 }.merge(extra))
end

def enqueue(total, threads, batch, timeout_s)
  deadline = now_ms + timeout_s * 1000
  nxt = 0
  done = 0
  m = Mutex.new
  t0 = now_ms
  (1..threads).map do
    Thread.new do
      loop do
        break if now_ms > deadline
        i = m.synchronize { v = nxt; nxt += batch; v }
        break if i >= total
        n = [batch, total - i].min
        if batch == 1
          Sidekiq::Client.push("class" => NoopJob, "args" => [payload(i)])
        else
          Sidekiq::Client.push_bulk("class" => NoopJob, "args" => (0...n).map { |j| [payload(i + j)] })
        end
        m.synchronize { done += n }
      end
    end
  end.each(&:join)
  result(done, total, now_ms - t0)
end

# Starts `sidekiq` (16 threads) as its own process, as Sidekiq runs; waits until it has registered.
def start_sidekiq(url, total, mode, done_file)
  env = { "BENCH_REDIS_URL" => url, "BENCH_TOTAL" => total.to_s, "BENCH_MODE" => mode, "BENCH_DONE_FILE" => done_file }
  log = File.join(File.dirname(done_file), "sidekiq.log")
  pid = Process.spawn(env, "sidekiq", "-r", File.join(__dir__, "worker.rb"), "-q", "bench", "-c", "16", "-t", "2",
                      out: log, err: log)
  File.open(ENV["PEERS_PIDFILE"], "a") { |f| f.puts(pid) } if ENV["PEERS_PIDFILE"].to_s != ""
  deadline = now_ms + 30_000
  until Sidekiq.redis { |c| c.scard("processes") }.positive?
    raise "sidekiq did not start" if now_ms > deadline
    sleep 0.05
  end
  pid
end

def stop_sidekiq(pid)
  Process.kill("TERM", pid)
  Timeout.timeout(10) { Process.wait(pid) }
rescue Timeout::Error
  Process.kill("KILL", pid)
  Process.wait(pid)
end

def wait_file(path, deadline)
  sleep 0.002 until File.exist?(path) || now_ms > deadline
  File.exist?(path) ? JSON.parse(File.read(path)) : nil
end

dir = Dir.mktmpdir("sidekiq-", ENV["PEERS_WORKDIR"] || Dir.tmpdir)
done_file = File.join(dir, "done.json")
case workload
when "W1" then enqueue(total, 1, 1, timeout_s)
when "W1c" then enqueue(total, 16, 1, timeout_s)
when "W1b" then enqueue(total, 1, 100, timeout_s)
when "W2"
  # Preload into a queue no one serves, then hand it over with one atomic RENAME.
  (0...total).each_slice(1000) do |s|
    Sidekiq::Client.push_bulk("class" => NoopJob, "queue" => "hold", "args" => s.map { |i| [payload(i)] })
  end
  pid = start_sidekiq(url, total, "drain", done_file)
  begin
    t0 = now_ms
    Sidekiq.redis { |c| c.rename("queue:hold", "queue:bench") }
    r = wait_file(done_file, t0 + timeout_s * 1000)
    if r
      result(total, total, r["done_ms"] - t0)
    else
      left = Sidekiq.redis { |c| c.llen("queue:bench") }
      result(total - left, total, now_ms - t0)
    end
  ensure
    stop_sidekiq(pid)
  end
when "W3"
  n = (200 * Float(lat_s)).round
  pid = start_sidekiq(url, n, "latency", done_file)
  begin
    sleep 1
    t0 = now_ms
    n.times do |i|
      due = t0 + i * 5
      w = due - now_ms
      sleep(w / 1000.0) if w.positive?
      Sidekiq::Client.push("class" => NoopJob, "args" => [payload(i, now_ms)])
    end
    r = wait_file(done_file, now_ms + timeout_s * 1000)
    lat = (r ? r["latencies"] : []).sort
    pct = ->(p) { lat.empty? ? nil : lat[[[(p / 100.0 * lat.size).ceil - 1, 0].max, lat.size - 1].min] }
    puts JSON.generate({ "value" => { "p50" => pct.(50), "p99" => pct.(99), "max" => lat.last },
                         "done" => lat.size, "total" => n, "timedOut" => lat.size < n, "seconds" => (now_ms - t0) / 1000 })
  ensure
    stop_sidekiq(pid)
  end
else
  abort "unknown workload #{workload}"
end
