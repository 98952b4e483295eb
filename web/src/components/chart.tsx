// A time-series line chart (uPlot). uPlot sizes its canvas from the width given, so the chart
// follows its container's width.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface Series {
  label: string;
  values: (number | null)[];
  stroke: string;
}

export function Chart(props: { title: string; times: number[]; series: Series[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 200,
      series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
      axes: [{}, { label: "jobs" }],
    };
    const plot = new uPlot(options, [props.times, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 200 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      plot.destroy();
    };
  }, [props.times, props.series]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
