import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RegulatorAccount } from '@ygsa/shared';
import { CodeBindForm, PageState, useLoadable } from '@ygsa/kit';
import { api, client, signIn, signedIn } from '../../api/client';
import { openPage } from '../../nav';
import './index.scss';

interface Desk {
  account: RegulatorAccount;
  /** Waiting on the desk, by the legal clock: complaints to accept or refuse, overdue ones. */
  toAccept: number;
  overdue: number;
  openNotices: number;
  drafts: number;
}

type Home = { bound: false } | { bound: true; desk: Desk };

async function loadHome(): Promise<Home> {
  await signedIn();
  if (!client.session.user()?.roles.includes('regulator')) return { bound: false };
  const [account, toAccept, overdue, openNotices, drafts] = await Promise.all([
    api.myAccount(),
    api.complaintQueue({ status: 'submitted', page: 1 }),
    api.complaintQueue({ overdue: true, page: 1 }),
    api.noticeQueue({ status: 'replied' }),
    api.caseQueue({ status: 'draft' }),
  ]);
  return {
    bound: true,
    desk: {
      account,
      toAccept: toAccept.total,
      overdue: overdue.total,
      openNotices: openNotices.length,
      drafts: drafts.length,
    },
  };
}

/** The regulator's home: binding with an invitation code when new; the desk's queues once bound. */
export default function HomePage() {
  const { state, reload } = useLoadable(loadHome);
  // Back from a queue: what waits may have changed.
  useDidShow(() => {
    if (state.state === 'ready') reload();
  });

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;

  if (!state.value.bound) {
    return (
      <View className="home">
        <CodeBindForm
          title="绑定监管账号"
          hint="请输入管理员发放的 10 位邀请码。首位管理员使用系统生成的一次性绑定码（由运维人员通过命令生成）。"
          length={10}
          buttonText="绑定"
          onBind={async (code) => {
            const res = await api.bindRegulator(code);
            // The next sign-in carries the regulator role the account gives.
            await signIn(true);
            void Taro.showToast({ title: `已绑定：${res.account.roleLabel}`, icon: 'none' });
            reload();
          }}
        />
      </View>
    );
  }

  const { account: a, ...q } = state.value.desk;
  return (
    <View className="home">
      <View className="home__head" id="account">
        <Text className="home__name">{a.name}</Text>
        <Text className="home__role" id="account-role">
          {a.roleLabel}
          {a.certificateNo ? ` · 执法证号 ${a.certificateNo}` : ''}
        </Text>
        <Text className="home__muted" id="account-jurisdiction">
          辖区：{a.jurisdictionLabel || '未设置'}
        </Text>
      </View>

      <View className="home__queues" id="queues">
        <View
          className="home__queue"
          id="queue-accept"
          onClick={() => void openPage('complaints', { status: 'submitted' })}
        >
          <Text className="home__count">{q.toAccept}</Text>
          <Text>待受理投诉举报</Text>
        </View>
        <View
          className={`home__queue ${q.overdue ? 'home__queue--late' : ''}`}
          id="queue-overdue"
          onClick={() => void openPage('complaints', { overdue: 'true' })}
        >
          <Text className="home__count">{q.overdue}</Text>
          <Text>已超期</Text>
        </View>
        <View className="home__queue" id="queue-replies" onClick={() => void openPage('desk', { queue: 'replies' })}>
          <Text className="home__count">{q.openNotices}</Text>
          <Text>待审核整改回复</Text>
        </View>
        <View className="home__queue" id="queue-drafts" onClick={() => void openPage('desk', { queue: 'drafts' })}>
          <Text className="home__count">{q.drafts}</Text>
          <Text>待确认执法草稿</Text>
        </View>
      </View>

      <View className="home__actions">
        <Button id="open-shops" type="primary" size="large" block onClick={() => void openPage('shops')}>
          辖区门店
        </Button>
        <Button id="open-complaints" size="large" block onClick={() => void openPage('complaints')}>
          投诉举报
        </Button>
        {a.role !== 'complaint_handler' && (
          <Button id="open-tasks" size="large" block onClick={() => void openPage('tasks')}>
            我的检查任务
          </Button>
        )}
        {a.role !== 'complaint_handler' && (
          <Button id="open-inspections" size="large" block onClick={() => void openPage('inspections')}>
            现场检查记录
          </Button>
        )}
        <Button id="open-plans" size="large" block onClick={() => void openPage('plans')}>
          双随机抽查计划
        </Button>
        {a.role === 'city_admin' && (
          <Button id="open-accounts" size="large" block onClick={() => void openPage('accounts')}>
            账号与邀请
          </Button>
        )}
        {a.role === 'city_admin' && (
          <Button id="open-import" size="large" block onClick={() => void openPage('import')}>
            许可数据导入
          </Button>
        )}
      </View>
    </View>
  );
}
