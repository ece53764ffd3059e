import { type ApiCreator, formatCount, proxied } from "@/lib/client/api";

/** Engagement as the page and the CSV show it: a percent, or "unknown" when the platform hides its inputs. */
export const percent = (x: number | null | undefined) => (x === null || x === undefined ? "unknown" : `${(x * 100).toFixed(1)}%`);

/** One creator: avatar through the image proxy, followers, engagement, top post stats, hashtags. */
export function CreatorCardView({ item }: { item: ApiCreator }) {
  const { creator, video } = item;
  return (
    <article className="card" data-testid="creator-card">
      <header>
        {creator.avatarUrl ? <img className="avatar" src={proxied(creator.avatarUrl)} alt="" width={48} height={48} loading="lazy" /> : <div className="avatar" aria-hidden="true" />}
        <div>
          <div className="name">
            {creator.name} {creator.verified && <span title="Verified">✓</span>}
          </div>
          {creator.profileUrl ? (
            <a href={creator.profileUrl} target="_blank" rel="noreferrer noopener">
              @{creator.handle}
            </a>
          ) : (
            <span>@{creator.handle}</span>
          )}
        </div>
      </header>
      <div className="row muted" style={{ fontSize: "0.88rem" }}>
        <span>
          {creator.followers === null ? (
            <b className="unknown" data-testid="followers" title="The platform did not return this number">
              unknown
            </b>
          ) : (
            <b style={{ color: "var(--fg)" }} data-testid="followers">
              {formatCount(creator.followers)}
            </b>
          )}{" "}
          followers
        </span>
        <span>engagement {percent(item.engagement?.byFollowers ?? item.engagement?.byViews)}</span>
      </div>
      {creator.emails.length > 0 && <div style={{ fontSize: "0.88rem" }}>✉ {creator.emails.join(", ")}</div>}
      {video && (
        <>
          {video.description && (
            <div className="caption">
              {video.url ? (
                <a href={video.url} target="_blank" rel="noreferrer noopener">
                  {video.description}
                </a>
              ) : (
                video.description
              )}
            </div>
          )}
          <div className="stats">
            <span>
              <b>{formatCount(video.statistics.views)}</b>views
            </span>
            <span>
              <b>{formatCount(video.statistics.likes)}</b>likes
            </span>
            <span>
              <b>{formatCount(video.statistics.comments)}</b>comments
            </span>
            <span>
              <b>{formatCount(video.statistics.shares)}</b>shares
            </span>
          </div>
        </>
      )}
      {item.hashtags.length > 0 && (
        <div className="chips">
          {item.hashtags.slice(0, 8).map((h) => (
            <span key={h} className="chip">
              #{h}
            </span>
          ))}
        </div>
      )}
    </article>
  );
}
