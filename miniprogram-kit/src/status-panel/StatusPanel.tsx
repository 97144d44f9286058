import { View } from '@tarojs/components';
import { Button, Cell, CellGroup } from '@nutui/nutui-react-taro';
import { ROLE_LABELS, type Health, type User } from '@ygsa/shared';
import type { Loadable } from '../sign-in-and-health/use-sign-in-and-health';
import { StatusTag, type Tone as PaletteTone } from '../status-tag/StatusTag';
import './StatusPanel.scss';

interface Props {
  user: Loadable<User>;
  health: Loadable<Health>;
  onReload: () => void;
  onSignInAgain: () => void;
}

type Tone = 'ok' | 'bad' | 'wait';
const PALETTE: Record<Tone, PaletteTone> = { ok: 'done', bad: 'overdue', wait: 'waiting' };

function Badge({ tone, text }: { tone: Tone; text: string }) {
  // The one status palette; colour always comes with a word, never alone.
  return <StatusTag tone={PALETTE[tone]} text={text} />;
}

function userLine(user: Loadable<User>): [Tone, string] {
  if (user.state === 'loading') return ['wait', '正在登录…'];
  if (user.state === 'failed') return ['bad', `登录失败：${user.message}`];
  return ['ok', `已登录 · ${user.value.roles.map((r) => ROLE_LABELS[r]).join('、')}`];
}

function apiLine(health: Loadable<Health>): [Tone, string] {
  if (health.state === 'loading') return ['wait', '检查中…'];
  if (health.state === 'failed') return ['bad', `无法连接：${health.message}`];
  return ['ok', `正常 · 版本 ${health.value.api.version}`];
}

function dbLine(health: Loadable<Health>): [Tone, string] {
  if (health.state === 'loading') return ['wait', '检查中…'];
  if (health.state === 'failed') return ['bad', '未知'];
  const db = health.value.database;
  return db.status === 'ok' ? ['ok', `正常 · ${db.latencyMs ?? 0} 毫秒`] : ['bad', '异常 · 暂时无法访问'];
}

/** Who is signed in and whether the service answers; used by the status page of each app. */
export function StatusPanel({ user, health, onReload, onSignInAgain }: Props) {
  const [userTone, userText] = userLine(user);
  const [apiTone, apiText] = apiLine(health);
  const [dbTone, dbText] = dbLine(health);
  return (
    <View className="status-panel">
      <CellGroup title="账号">
        <View id="login-status">
          <Cell title="微信登录" extra={<Badge tone={userTone} text={userText} />} />
        </View>
      </CellGroup>
      <CellGroup title="服务状态">
        <View id="health-api">
          <Cell title="接口服务" extra={<Badge tone={apiTone} text={apiText} />} />
        </View>
        <View id="health-db">
          <Cell title="数据库" extra={<Badge tone={dbTone} text={dbText} />} />
        </View>
      </CellGroup>
      <View className="status-panel__actions">
        <Button id="reload" type="primary" size="large" block onClick={onReload}>
          刷新
        </Button>
        {user.state === 'failed' && (
          <Button id="sign-in-again" size="large" block onClick={onSignInAgain}>
            重新登录
          </Button>
        )}
      </View>
    </View>
  );
}
